"""Demonstration data of cooperation, one module per room; imported by ``core.demo.seed`` only
(the order below is the order of loading)."""

from turbine.cooperation import (  # noqa: F401  (they register their data sets)
    demo_debates,
    demo_groups,
    demo_meetings,
    demo_panels,
)
