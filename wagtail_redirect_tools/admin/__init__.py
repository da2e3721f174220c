"""Every admin face of the package: hooks, viewsets, views, forms, bulk actions, dashboard
panels and admin URLs. Faces only: each calls a capability."""
