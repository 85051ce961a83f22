"""A Flask API with flask-cors, configured by the first argument, for the CORS audit in CI.

    python app.py correct|wildcard-credentials

Listens on 127.0.0.1, port 0, and prints "PORT <n>" once it accepts connections.
"""
import sys

from flask import Flask, jsonify, make_response
from flask_cors import CORS
from werkzeug.serving import make_server

ALLOWED = ["https://app.example.com", "http://localhost:5173"]

app = Flask(__name__)


@app.get("/")
def root():
    return "ok"


@app.get("/items")
def items():
    response = make_response(jsonify([1, 2, 3]))
    response.headers["Vary"] = "Accept-Encoding"  # the route sets its own Vary
    return response


mode = sys.argv[1] if len(sys.argv) > 1 else "correct"
if mode == "correct":
    CORS(app, origins=ALLOWED, supports_credentials=True, allow_headers=["Content-Type"], methods=["GET", "HEAD", "PUT", "POST", "DELETE"], max_age=600)
elif mode == "wildcard-credentials":
    CORS(app, supports_credentials=True)  # origins default to "*"
else:
    raise SystemExit(f"unknown mode {mode}")

server = make_server("127.0.0.1", 0, app, threaded=True)
print(f"PORT {server.port}", flush=True)
server.serve_forever()
