"""State, change detection and delivery of alerts."""
