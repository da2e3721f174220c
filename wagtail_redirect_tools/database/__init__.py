"""What the capabilities need of the database itself: array columns, collations, write
locks, and the doctor that finds what the locks could not prevent."""
