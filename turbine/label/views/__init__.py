"""Pages of the label app, one module per part."""
