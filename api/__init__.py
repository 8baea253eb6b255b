"""The REST API (/api/v1/): DRF serializers and views that call the apps' services and selectors."""
