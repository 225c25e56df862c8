"""pandas peer of `logbeam run pipelines/vpc-flow-egress.ts`: accepted flows to public destinations, summed per
hour / source / destination / port / protocol / interface -> zstd Parquet by year/month/day/hour.

Usage: python vpc_flow_egress.py <input-dir> <output-dir> <processing-time-iso>
Each file is filtered and pre-aggregated on its own; the partial sums are then summed again.
"""
import sys

import pandas as pd

from pandas_common import input_files, partition_columns, write_partitioned

KEYS = ["hour_s", "srcaddr", "dstaddr", "dstport", "protocol", "interface-id"]


def is_private(dst: pd.Series) -> pd.Series:
    """PRIVATE_CIDRS of logbeam: RFC 1918, 100.64/10, 169.254/16, 127/8, ::1, fc00::/7, fe80::/10."""
    v6 = dst.str.contains(":", regex=False)
    octets = dst.where(~v6).str.split(".", n=2, expand=True)
    a = pd.to_numeric(octets[0], errors="coerce")
    b = pd.to_numeric(octets[1], errors="coerce")
    v4_private = (a == 10) | ((a == 172) & b.between(16, 31)) | ((a == 192) & (b == 168)) | ((a == 100) & b.between(64, 127)) | ((a == 169) & (b == 254)) | (a == 127)
    lower = dst.str.lower()
    v6_private = (lower == "::1") | lower.str.match(r"^f[cd][0-9a-f]{0,2}:") | lower.str.match(r"^fe[89ab][0-9a-f]?:")
    return v4_private.where(~v6, v6_private).fillna(False).astype(bool)


def partial_sums(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, sep=" ", dtype=str, na_values=["-"], keep_default_na=False, engine="c")
    df = df[df["action"] == "ACCEPT"]
    for name in ["bytes", "packets", "start", "dstport", "protocol"]:
        df[name] = pd.to_numeric(df[name], errors="coerce")
    df = df[(df["bytes"] > 0) & df["start"].notna() & df["srcaddr"].notna() & df["dstaddr"].notna()]
    df = df[~is_private(df["dstaddr"])]
    df["hour_s"] = (df["start"] // 3600 * 3600).astype("int64")
    df["flow_count"] = 1
    return df.groupby(KEYS, dropna=False)[["bytes", "packets", "flow_count"]].sum().reset_index()


def main(input_dir: str, output_dir: str, processing_time: str) -> None:
    parts = [partial_sums(path) for path in input_files(input_dir, ".gz")]
    sums = pd.concat(parts).groupby(KEYS, dropna=False)[["bytes", "packets", "flow_count"]].sum().reset_index()
    out = pd.DataFrame()
    start = pd.to_datetime(sums["hour_s"], unit="s", utc=True)
    out["flow_date"] = start.dt.strftime("%Y-%m-%d")
    out["flow_hour"] = start.dt.hour.astype("int32")
    out["flow_hour_start"] = start
    out["srcaddr"] = sums["srcaddr"]
    out["dstaddr"] = sums["dstaddr"]
    out["dstport"] = sums["dstport"].astype("Int32")
    out["protocol"] = sums["protocol"].astype("Int32")
    out["vpc_id"] = pd.Series(None, index=sums.index, dtype="string")
    out["instance_id"] = pd.Series(None, index=sums.index, dtype="string")
    out["interface_id"] = sums["interface-id"]
    out["region"] = pd.Series(None, index=sums.index, dtype="string")
    out["total_egress_bytes"] = sums["bytes"].astype("int64")
    out["total_egress_packets"] = sums["packets"].fillna(0).astype("int64")
    out["flow_count"] = sums["flow_count"].astype("int64")
    out["processing_timestamp"] = pd.Timestamp(processing_time)
    write_partitioned(out, output_dir, partition_columns(out, "flow_hour_start", hour=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
