"""The reference server users come from: Flask + flask-cors (Debian packages), served by gunicorn.

Same API and policy as bench/CorsKit.E2eHost: GET|PUT /items, GET /error (raises); the README's policy.
Error logging is off, as the .NET hosts log nothing, so the console is not what is measured.
"""
from flask import Flask, jsonify, request
from flask_cors import CORS

app = Flask(__name__)
app.logger.disabled = True

CORS(
    app,
    origins=["https://app.example.com"],
    methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
    allow_headers=["X-Token", "Content-Type"],
    expose_headers=["X-Total-Count"],
    supports_credentials=True,
    max_age=600,
)


@app.get("/items")
def items():
    return jsonify(["apple", "pear"])


@app.put("/items")
def put_items():
    return jsonify(request.get_json(silent=True) or [])


@app.get("/error")
def error():
    raise RuntimeError("the error route failed, as it always does")
