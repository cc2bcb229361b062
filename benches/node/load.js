// One benchmark run of a JavaScript client: an operation at a fixed concurrency for a warm-up
// then a measured window; prints the same JSON line as benches/harness `load`.
//   node load.js <get_session|exists|v2_login|v2_me> <concurrency> <seconds> <base url>
// get_session and exists run medusa-js 6.1.3 (Medusa v1); v2_login and v2_me run
// @medusajs/js-sdk 2.21.2 (Medusa v2) with its token in memory storage (its Node default
// discards it).

// The client and the call for `op`.
async function client(op, baseUrl) {
  if (op === "get_session" || op === "exists") {
    const Medusa = require("@medusajs/medusa-js").default
    const medusa = new Medusa({ baseUrl, maxRetries: 0 })
    const call = op === "get_session" ? () => medusa.auth.getSession() : () => medusa.auth.exists("alice@example.com")
    return { name: "medusa-js", call }
  }
  const Medusa = require("@medusajs/js-sdk").default
  const sdk = new Medusa({
    baseUrl,
    publishableKey: "pk_bench",
    auth: { type: "jwt", jwtTokenStorageMethod: "memory" },
  })
  const credentials = { email: "alice@example.com", password: "S3cret-pass!" }
  // `v2_me` needs a token: one login first, as the crate's client holds one.
  await sdk.auth.login("customer", "emailpass", credentials)
  const call =
    op === "v2_login"
      ? () => sdk.auth.login("customer", "emailpass", credentials)
      : () => sdk.store.customer.retrieve()
  return { name: "js-sdk", call }
}

async function main() {
  const [op, concurrencyText, secondsText, baseUrl] = process.argv.slice(2)
  const concurrency = Number(concurrencyText)
  const { name, call } = await client(op, baseUrl)
  let measuring = false
  let stop = false
  const latencies = []
  let failures = 0
  const worker = async () => {
    while (!stop) {
      const started = process.hrtime.bigint()
      let ok = true
      try {
        await call()
      } catch (e) {
        ok = false
      }
      if (measuring && !stop) {
        latencies.push(Number(process.hrtime.bigint() - started) / 1000)
        if (!ok) failures++
      }
    }
  }
  const workers = Array.from({ length: concurrency }, worker)
  await new Promise((r) => setTimeout(r, 1000))
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  measuring = true
  await new Promise((r) => setTimeout(r, Number(secondsText) * 1000))
  stop = true
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const cpu = process.cpuUsage(cpu0)
  await Promise.all(workers)
  latencies.sort((a, b) => a - b)
  const pct = (p) => Math.round(latencies[Math.floor((latencies.length - 1) * p)] || 0)
  const calls = Math.max(latencies.length, 1)
  console.log(JSON.stringify({
    client: name, op, concurrency, calls: latencies.length, failures, seconds,
    rps: calls / seconds, p50_us: pct(0.5), p99_us: pct(0.99),
    allocs_per_call: null, cpu_us_per_call: (cpu.user + cpu.system) / calls,
  }))
}

main()
