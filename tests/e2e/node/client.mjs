// A real Yjs + y-websocket (v3) client for the DevSync end-to-end tests.
//
// usage: node client.mjs <serverUrl> <room> <token> <seed> <edits> [quietMs]
// Joins <serverUrl>/<room>?token=<token>, makes <edits> random edits to the
// Y.Text "content" (ASCII, CRLF, emoji, combining marks), sets a cursor, waits
// until no update arrived for [quietMs] ms, then prints one JSON line:
// {"text": ..., "cursors": [names of the other users whose cursors it saw]}.
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const [serverUrl, room, token, seedArg, editsArg, quietArg] = process.argv.slice(2)
let seed = Number(seedArg) || 1
const edits = Number(editsArg) || 0
const quietMs = Number(quietArg) || 1500
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}
const pieces = ['a', 'bc', '\r\n', '\n', '😀', 'e\u0301', 'ß', ' ', '👩‍💻', 'x']

// Never split a UTF-16 surrogate pair: a lone surrogate is not valid text.
const safe = (str, index) => {
  const code = str.charCodeAt(index - 1)
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index
}

const doc = new Y.Doc()
const text = doc.getText('content')
const provider = new WebsocketProvider(serverUrl, room, doc, {
  WebSocketPolyfill: WebSocket,
  params: { token },
  disableBc: true,
  maxBackoffTime: 500
})
let lastChange = Date.now()
doc.on('update', () => { lastChange = Date.now() })
provider.on('connection-close', (event) => {
  if (event && event.code >= 4000) {
    process.stdout.write(JSON.stringify({ closed: event.code, reason: event.reason }) + '\n')
    process.exit(0)
  }
})

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const synced = new Promise((resolve) => provider.once('sync', resolve))
await Promise.race([synced, sleep(10000)])
provider.awareness.setLocalStateField('user', { name: 'whoever-i-claim' })
provider.awareness.setLocalStateField('cursor', { anchor: 0, head: 0 })

for (let i = 0; i < edits; i++) {
  const len = text.length
  if (len > 4 && random() < 0.25) {
    const current = text.toString()
    const at = safe(current, Math.floor(random() * (len - 2)))
    const end = safe(current, at + 1 + Math.floor(random() * 2))
    if (end > at) text.delete(at, end - at)
  } else {
    const piece = pieces[Math.floor(random() * pieces.length)]
    text.insert(safe(text.toString(), Math.floor(random() * (len + 1))), piece)
  }
  lastChange = Date.now()
  await sleep(Math.floor(random() * 15))
}
while (Date.now() - lastChange < quietMs) await sleep(100)
const cursors = []
for (const [clientId, state] of provider.awareness.getStates()) {
  if (clientId !== doc.clientID && state.user) cursors.push(state.user.name)
}
process.stdout.write(JSON.stringify({ text: text.toString(), cursors }) + '\n')
provider.destroy()
process.exit(0)
