"""How long `laomo validate` takes on 20,000 workers + 2,000 homes with their private tree.

Run: .venv/bin/python benchmarks/bench_validate.py [--workers N] [--homes M]
"""

from __future__ import annotations

import argparse
import json

from common import LAOMO, median_of, synthetic_tree


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--homes", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    records, private = synthetic_tree(args.workers, args.homes)
    public_only = median_of(args.runs, LAOMO + ["validate", "--records", str(records)])
    both = median_of(args.runs, LAOMO + ["validate", "--records", str(records), "--private", str(private)])
    print(f"| 校验 | {args.workers} 人 + {args.homes} 家 | 公开 {public_only.seconds:.2f} 秒 | "
          f"含私密 {both.seconds:.2f} 秒 | 峰值内存 {both.peak_rss_mb:.0f} MB |")
    print(json.dumps({"workers": args.workers, "homes": args.homes, "validate_public_s": round(public_only.seconds, 2),
                      "validate_with_private_s": round(both.seconds, 2), "peak_rss_mb": round(both.peak_rss_mb)}))


if __name__ == "__main__":
    main()
