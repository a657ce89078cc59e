"""Data: validated descriptor tables and demo tables generated from known laws."""

from lawfind.data._dataset import MIN_ROWS, Dataset, Task, read_csv
from lawfind.data._demo import DEMOS, DemoLaw, make_demo, planted_dataset

__all__ = ["Dataset", "Task", "MIN_ROWS", "read_csv", "DEMOS", "DemoLaw", "make_demo", "planted_dataset"]
