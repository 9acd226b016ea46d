# A python-socketio server on aiohttp (Debian's python3-socketio and python3-aiohttp): the
# server side of Flask-SocketIO and friends, for test/node/interop-python.test.ts. It listens on
# a free loopback port, prints the port, and exits when its stdin closes (so it never outlives
# the test). On "/": greets with the auth it got, echoes "echo" through the ack, answers
# "askme" by calling back into the client with binary, and disconnects on "kick". Every
# connection to "/guarded" is refused with data.
import asyncio
import os
import sys

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=0.25, ping_timeout=10)
app = web.Application()
sio.attach(app)


@sio.event
async def connect(sid, environ, auth):
    await sio.emit("hello", [auth, "/"], to=sid)


@sio.on("echo")
async def echo(sid, *args):
    return args


@sio.on("askme")
async def askme(sid):
    n, data = await sio.call("ask", (1, b"\x04\x05"), to=sid, timeout=10)
    return [n, len(data) if isinstance(data, (bytes, bytearray)) else repr(data)]


@sio.on("kick")
async def kick(sid):
    await sio.disconnect(sid)


@sio.on("connect", namespace="/guarded")
async def refuse(sid, environ, auth):
    raise socketio.exceptions.ConnectionRefusedError({"reason": "not allowed"})


async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)
    # Until the test closes stdin; then at once, without aiohttp's graceful shutdown, which
    # would wait out any long-poll still pending on engineio's ping timeout.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    os._exit(0)


asyncio.run(main())
