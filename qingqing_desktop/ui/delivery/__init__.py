"""报送与接收: the unit's exchange with the discipline office."""
