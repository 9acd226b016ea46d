# A python-socketio client (Debian's python3-socketio), an implementation of the protocol
# written apart from socket.io's JavaScript, for test/node/interop-python.test.ts.
# argv: <server url> <polling|websocket>. It joins "/" and "/chat" with an auth payload, waits
# for each namespace's "hello", calls "echo" with binary in it, asks the server to call back into
# it ("askme": the server emits "ask" with binary, this client answers with an ack), and leaves.
# Prints one JSON object of what it saw (bytes as "hex:..."); exits 1 with a message on failure.
import json
import os
import sys
import threading

import socketio

url, transport = sys.argv[1], sys.argv[2]
TIMEOUT = 10
seen = {}
hellos = {"/": threading.Event(), "/chat": threading.Event()}
client = socketio.Client(reconnection=False)


def on_hello(namespace):
    def handler(auth, nsp):
        seen["hello " + namespace] = [auth, nsp]
        hellos[namespace].set()

    return handler


for namespace in hellos:
    client.on("hello", on_hello(namespace), namespace=namespace)


@client.on("ask")
def ask(n, data):
    # A handler's return value is the ack.
    return n + 1, data


def plain(value):
    """JSON for what came back: bytes as hex, tuples as lists."""
    if isinstance(value, (bytes, bytearray)):
        return "hex:" + bytes(value).hex()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


try:
    client.connect(url, transports=[transport], namespaces=list(hellos), auth={"token": "py"}, wait_timeout=TIMEOUT)
    for namespace, event in hellos.items():
        if not event.wait(TIMEOUT):
            raise RuntimeError("no hello on " + namespace)
    seen["sid"] = client.get_sid("/")
    seen["transport"] = client.transport()
    seen["echo"] = client.call("echo", ("a", {"file": b"\x01\x02\x03"}, 7), timeout=TIMEOUT)
    seen["askme"] = client.call("askme", timeout=TIMEOUT)
    client.disconnect()
except Exception as err:  # noqa: BLE001 - any failure is the test's to report
    print("python client: %s: %s" % (type(err).__name__, err), file=sys.stderr)
    sys.exit(1)
print(json.dumps(plain(seen)), flush=True)
# Not a plain exit: python-engineio's write thread can drop the close packet that disconnect()
# queues (it stops once the state leaves "connected", which disconnect() sets right after), so
# its read thread waits on a poll the server answers only at its next ping (25 s). That client
# race shows against socket.io's server as against rtio's.
os._exit(0)
