"""api of the cooperation app, one module per part
(meetings, groups, debates, panels, challenges)."""
