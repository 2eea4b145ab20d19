"""The application layer, above everything else: the `archive` command line (cli), the preview server (serve)
and its quick first answer to an edit (preview). Nothing below imports from here."""
