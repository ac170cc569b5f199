"""演示数据: the Jing'an demo district, its people, its three light apps and a few reports."""
