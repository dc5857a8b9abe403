"""Services of the showcase: every write and business rule, in transactions."""
