"""The roadmap's views, one module per area of the product; roadmap/urls.py imports each
module by name (nothing else imports a view module)."""
