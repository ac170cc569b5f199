"""The phone pages a grid worker or handler opens from WeCom, at /m/."""
