"""Print requests per second, 95th percentile and errors from locust's CSV summary."""

import csv
import sys

with open(sys.argv[1], newline="") as handle:
    rows = list(csv.DictReader(handle))
print(f"{'request':<24} {'count':>7} {'errors':>7} {'req/s':>7} {'p95 ms':>8}")
for row in rows:
    print(f"{row['Name']:<24} {row['Request Count']:>7} {row['Failure Count']:>7} "
          f"{float(row['Requests/s']):>7.1f} {row['95%']:>8}")
