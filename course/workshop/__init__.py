"""Workshop mode: one JupyterHub server for a cohort, nbgrader's exchange, a PostgreSQL gradebook.

``settings`` reads the workshop file (``workshop.yaml``); ``accounts`` creates the local system
users; ``layout`` lays out the course, the exchange and the per-role Jupyter configuration;
``postgres`` creates the gradebook database; ``hub`` configures JupyterHub; ``exchange`` holds the
nbgrader exchange plug-in that keeps one learner's submission from another; ``setup`` runs it all.
"""
