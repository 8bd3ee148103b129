"""The review platform: a Django project whose apps call services, and services call the core."""
