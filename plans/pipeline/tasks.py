"""The pipeline's background work, where Celery's autodiscovery looks for it (procurement/celery.py)."""

from plans.pipeline.alerts import send_confirmation, weekly_alerts

__all__ = ["send_confirmation", "weekly_alerts"]
