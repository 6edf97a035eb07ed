"""JupyterHub configuration of a workshop server.

`course workshop setup` copies this file next to the workshop file (workshop.yaml); everything it
sets comes from that file through ``course.workshop.hub.configure``. Start the hub as root:

    sudo /opt/water-course/venv/bin/jupyterhub -f /etc/water-course/jupyterhub_config.py
"""

import os

from course.workshop.hub import configure
from course.workshop.settings import load_settings

c = get_config()  # type: ignore[name-defined]  # noqa: F821
_here = os.path.dirname(os.path.abspath(__file__))
configure(c, load_settings(os.environ.get("WATER_COURSE_WORKSHOP") or os.path.join(_here, "workshop.yaml")))
