"""What every page shares: login, the desktop top bar, the private photo URL."""
