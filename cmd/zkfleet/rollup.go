package main

// defaultHTTPAddr is the HTTP Core API's default listen address.
const defaultHTTPAddr = "127.0.0.1:8080"
