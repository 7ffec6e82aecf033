"""纪委（监察室）模式: the 报送情况 board, a unit's filing as delivered, the office's setup."""
