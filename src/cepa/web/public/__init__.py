"""The public pages: directory, body pages, who can test, enquiries, calendar, inspectors, open data."""
