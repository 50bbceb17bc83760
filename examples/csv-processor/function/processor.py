"""Reads a CSV uploaded to S3 and returns its shape and numeric statistics."""
import io
import json
import urllib.parse

import boto3
import pandas as pd

s3 = boto3.client("s3")


def summarize(frame):
    numeric = frame.select_dtypes(include="number")
    stats = {
        column: {
            "mean": float(numeric[column].mean()),
            "min": float(numeric[column].min()),
            "max": float(numeric[column].max()),
            "std": float(numeric[column].std()) if len(numeric) > 1 else 0.0,
        }
        for column in numeric.columns
    }
    return {"rows": int(frame.shape[0]), "columns": int(frame.shape[1]), "numeric": stats}


def lambda_handler(event, context):
    results = []
    for record in event.get("Records", []):
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        summary = summarize(pd.read_csv(io.BytesIO(body)))
        summary["object"] = f"s3://{bucket}/{key}"
        print(json.dumps(summary))
        results.append(summary)
    return {"statusCode": 200, "body": json.dumps(results)}
