"""Training, fine-tuning and evaluation machinery shared by every model."""
