"""The MineCD dock panel: panel.py (reactions and the run), layout.py (widgets), settings.py (memory)."""

from .panel import DOCK_OBJECT_NAME, MineCDDock

__all__ = ["DOCK_OBJECT_NAME", "MineCDDock"]
