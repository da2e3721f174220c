"""Rules of editing that several faces share (the admin, the import): who may write
what, bulk status changes of core redirects, and which redirects point where."""
