#!/usr/bin/env node
// dynalite (node_modules/dynalite), the same flags as its cli.js, plus TransactWriteItems, which
// dynalite 4.0.0 lacks and the flag store needs for all-or-nothing changes.
//
// How it stays all or nothing: every request runs alone, one after another (a test server
// needs no concurrency), so nobody sees a transaction half done. A transaction reads each of
// its items as it was, applies each write with its condition through dynalite itself, and when
// any condition fails, puts every item back as it was and answers
// TransactionCanceledException with one CancellationReason per item, as DynamoDB does. A
// ConditionCheck is an UpdateItem without an update, always undone. A ClientRequestToken seen
// in the last 10 minutes with the same body answers as before without applying again.
'use strict'

const fs = require('fs')
const http = require('http')
const https = require('https')
const path = require('path')

const modules = path.join(__dirname, '..', '..', 'node_modules')
const dynalite = require(path.join(modules, 'dynalite'))
const argv = require(path.join(modules, 'minimist'))(process.argv.slice(2))

const host = argv.host || '127.0.0.1'
// --ssl with --key/--cert: HTTPS with a certificate the test made (dynalite's own has expired).
const server = dynalite({
  ssl: Boolean(argv.ssl),
  key: argv.key ? fs.readFileSync(argv.key) : undefined,
  cert: argv.cert ? fs.readFileSync(argv.cert) : undefined,
  ca: argv.cert ? fs.readFileSync(argv.cert) : undefined,
  path: argv.path,
  createTableMs: argv.createTableMs,
  deleteTableMs: argv.deleteTableMs,
  updateTableMs: argv.updateTableMs,
})
const dynaliteHandler = server.listeners('request')[0]
server.removeAllListeners('request')

let queue = Promise.resolve()
function exclusive (task) {
  const run = queue.then(task, task)
  queue = run.catch(() => {})
  return run
}

server.on('request', (req, res) => {
  if (req.headers['x-switchyard-internal']) return dynaliteHandler(req, res)
  if (req.headers['x-amz-target'] === 'DynamoDB_20120810.TransactWriteItems') {
    readBody(req)
      .then((text) => exclusive(() => transactWriteItems(text)))
      .then(({ status, payload }) => send(res, status, payload))
      .catch((error) => send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) }))
    return
  }
  exclusive(() => new Promise((resolve) => {
    res.on('finish', resolve)
    res.on('close', resolve)
    dynaliteHandler(req, res)
  }))
})

server.listen(argv.port || 4567, host, () => {
  console.log('Dynalite listening at: %s://%s:%s', argv.ssl ? 'https' : 'http', host, server.address().port)
})

function readBody (req) {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => { text += chunk })
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

function send (res, status, payload) {
  const body = JSON.stringify(payload)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/x-amz-json-1.0')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
}

// One operation on dynalite itself, past the queue (the transaction holds it).
function internal (operation, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body)
    // In --ssl mode it talks to itself over TLS; the certificate is the test's own.
    const request = (argv.ssl ? https : http).request({
      rejectUnauthorized: false,
      host,
      port: server.address().port,
      method: 'POST',
      path: '/',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'Content-Length': Buffer.byteLength(data),
        'X-Amz-Target': 'DynamoDB_20120810.' + operation,
        'X-Amz-Date': '20150830T123600Z',
        Authorization: 'AWS4-HMAC-SHA256 Credential=internal/20150830/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        'X-Switchyard-Internal': '1',
      },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : {} }))
    })
    request.on('error', reject)
    request.end(data)
  })
}

function validation (message) {
  return { status: 400, payload: { __type: 'com.amazon.coral.validate#ValidationException', message } }
}

const schemas = new Map()
async function keyNames (table) {
  if (schemas.has(table)) return { names: schemas.get(table) }
  const answer = await internal('DescribeTable', { TableName: table })
  if (answer.status !== 200) return { error: { status: answer.status, payload: answer.body } }
  const names = answer.body.Table.KeySchema.map((entry) => entry.AttributeName)
  schemas.set(table, names)
  return { names }
}

// The write itself, as dynalite's own operation (ConditionCheck: UpdateItem with no update).
function asOperation (kind, spec) {
  const body = Object.assign({}, spec)
  delete body.ReturnValuesOnConditionCheckFailure
  const operations = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'UpdateItem' }
  return { operation: operations[kind], body }
}

const tokens = new Map() // ClientRequestToken -> { text, answer, at }
const TOKEN_MS = 10 * 60 * 1000

async function transactWriteItems (text) {
  let request
  try { request = JSON.parse(text) } catch (e) {
    return { status: 400, payload: { __type: 'com.amazon.coral.service#SerializationException' } }
  }
  const token = request.ClientRequestToken
  const now = Date.now()
  for (const [key, seen] of tokens) if (now - seen.at > TOKEN_MS) tokens.delete(key)
  if (token && tokens.has(token)) {
    const seen = tokens.get(token)
    if (seen.text !== text) {
      return { status: 400, payload: { __type: 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException', message: 'ClientRequestToken reused with another request' } }
    }
    return seen.answer
  }
  const answer = await apply(request.TransactItems)
  if (token && answer.status === 200) tokens.set(token, { text, answer, at: now })
  return answer
}

async function apply (items) {
  if (!Array.isArray(items) || items.length < 1 || items.length > 100) {
    return validation('TransactItems must have between 1 and 100 items')
  }
  const steps = []
  const seen = new Set()
  for (const entry of items) {
    const kind = Object.keys(entry || {})[0]
    const spec = entry[kind]
    if (!['Put', 'Update', 'Delete', 'ConditionCheck'].includes(kind) || !spec) {
      return validation('each TransactItem must be one of Put, Update, Delete, ConditionCheck')
    }
    const schema = await keyNames(spec.TableName)
    if (schema.error) return schema.error
    const source = kind === 'Put' ? spec.Item : spec.Key
    const key = {}
    for (const name of schema.names) {
      if (!source || !(name in source)) return validation('The provided key element does not match the schema')
      key[name] = source[name]
    }
    const id = spec.TableName + '\u0000' + JSON.stringify(key)
    if (seen.has(id)) return validation('Transaction request cannot include multiple operations on one item')
    seen.add(id)
    steps.push({ kind, spec, key })
  }

  for (const step of steps) {
    const before = await internal('GetItem', { TableName: step.spec.TableName, Key: step.key, ConsistentRead: true })
    if (before.status !== 200) return { status: before.status, payload: before.body }
    step.before = before.body.Item
  }

  const reasons = []
  let cancelled = false
  let otherError = null
  for (const step of steps) {
    const { operation, body } = asOperation(step.kind, step.spec)
    const answer = await internal(operation, body)
    if (answer.status === 200) {
      step.applied = true
      reasons.push({ Code: 'None' })
      continue
    }
    cancelled = true
    const type = String(answer.body.__type || '').split('#').pop()
    if (type === 'ConditionalCheckFailedException') {
      const reason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
      if (step.spec.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && step.before) reason.Item = step.before
      reasons.push(reason)
    } else if (type === 'ValidationException') {
      reasons.push({ Code: 'ValidationError', Message: answer.body.message })
    } else {
      otherError = otherError || answer
      reasons.push({ Code: 'None' })
    }
  }

  for (const step of steps.slice().reverse()) {
    if (!step.applied || (!cancelled && !otherError && step.kind !== 'ConditionCheck')) continue
    const table = step.spec.TableName
    if (step.before) await internal('PutItem', { TableName: table, Item: step.before })
    else await internal('DeleteItem', { TableName: table, Key: step.key })
  }

  if (otherError) return { status: otherError.status, payload: otherError.body }
  if (cancelled) {
    return {
      status: 400,
      payload: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [' +
          reasons.map((reason) => reason.Code).join(', ') + ']',
        CancellationReasons: reasons,
      },
    }
  }
  return { status: 200, payload: {} }
}
