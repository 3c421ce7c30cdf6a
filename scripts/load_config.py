"""Print the configuration a load run measured: gunicorn workers and threads, CONN_MAX_AGE,
database connections held (the most sampled), and how busy the machine was."""

import os
import runpy
import sys
from pathlib import Path

config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"))
samples = [int(line) for line in Path(sys.argv[2]).read_text().split() if line.strip().isdigit()]
load1, load5, _ = os.getloadavg()
print("configuration: "
      f"gunicorn {config.get('worker_class', 'sync')} workers={config['workers']} "
      f"threads={config.get('threads', 1)} timeout={config['timeout']}s; "
      f"CONN_MAX_AGE={os.environ.get('CONN_MAX_AGE', '(settings default)')}; "
      f"database connections held: max {max(samples, default=0)} "
      f"(sampled {len(samples)} times, includes the sampler's own); "
      f"cores={os.cpu_count()}; load average now {load1:.1f} (5 min {load5:.1f}); "
      f"locust on the same host")
