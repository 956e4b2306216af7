import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Emulator from "../../src/emulator/Emulator.js"
import { request } from "../emulator/http.js"
import { runCli, spawnCli } from "../support/SpawnCli.js"
import { tempDir } from "../support/TempDir.js"

const slow = 90_000

const authorizeAddress = /http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/

/** A PKCE-only app: no secret, and no SPOTIFY_REFRESH_TOKEN, so every token comes from `login`. */
const appEnv = (emulator: Emulator.Emulator, lake: string) => ({
  SPOTIFY_CLIENT_ID: "emulator-client",
  SPOTIFY_API_URL: emulator.url,
  SPOTIFY_ACCOUNTS_URL: emulator.url,
  LAKE_URL: lake,
  BROWSER: "none"
})

const newLake = () => tempDir("cli-login-")

describe("login in a real process (npm start -- login)", () => {
  it.scoped("prints the address, takes Spotify's redirect on the loopback port, stores the token; sync and status then use it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 21 })
      yield* emulator.listen(6)
      const lake = yield* newLake()
      const env = appEnv(emulator, lake)
      const cli = yield* spawnCli(["login", "--port", "0"], env)
      const [address] = yield* cli.stdoutMatching(authorizeAddress)

      const authorize = yield* request(address)
      expect(authorize.status).toBe(302)
      const callback = new URL(authorize.headers.location ?? "")
      expect(callback.pathname).toBe("/callback")
      const landed = yield* request(callback.toString())
      expect(landed.status).toBe(200)

      const result = yield* cli.result
      expect(result.stderr).toBe("")
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("Connected Spotify account: Emulated Listener (user id emulated.listener).")
      expect(result.stdout).toContain("npm start -- sync")
      const tokenFile = join(lake, "state/token.json")
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
      expect(JSON.parse(readFileSync(tokenFile, "utf8"))).toMatchObject({ bootstrap_fingerprint: null })

      const sync = yield* runCli(["sync", "--json"], env)
      expect(sync.code).toBe(0)
      expect(JSON.parse(sync.stdout)).toMatchObject({ outcome: "synced", new: 6, token_warning: null })
      const status = yield* runCli(["status"], env)
      expect(status.stdout).toMatch(/token: {6}authorised \S+ \(0 days ago\), Spotify ends it \S+/)
    }), slow)

  it.scoped("a browser that comes straight back and stays open: its answer is taken, and the browser is left running", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 21 })
      const lake = yield* newLake()
      // An app approved before: the browser follows Spotify's redirect at once, then stays open.
      const browser = join(lake, "browser.sh")
      const pidFile = join(lake, "browser.pid")
      writeFileSync(
        browser,
        `#!/bin/sh\necho $$ > "${pidFile}"\nexec "${process.execPath}" -e 'fetch(process.argv[1]).then(() => setTimeout(() => {}, 60000))' "$1"\n`
      )
      chmodSync(browser, 0o755)
      yield* Effect.addFinalizer(() => Effect.sync(() => {
        try {
          process.kill(Number(readFileSync(pidFile, "utf8")))
        } catch {
          // not started, or already gone
        }
      }))
      const result = yield* runCli(["login", "--port", "0"], { ...appEnv(emulator, lake), BROWSER: browser })
      expect(result.stderr).toBe("")
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("Connected Spotify account: Emulated Listener")
      // Still running: signal 0 only asks whether the process exists.
      expect(() => process.kill(Number(readFileSync(pidFile, "utf8")), 0)).not.toThrow()
    }), slow)

  it.scoped("--no-browser: prints the address and reads the pasted redirect address from stdin", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const lake = yield* newLake()
      const cli = yield* spawnCli(["login", "--no-browser", "--port", "8888"], appEnv(emulator, lake))
      const [address] = yield* cli.stdoutMatching(authorizeAddress)
      expect(new URL(address).searchParams.get("redirect_uri")).toBe("http://127.0.0.1:8888/callback")
      yield* cli.stdoutMatching(/Paste that whole address here/)
      const authorize = yield* request(address)
      yield* cli.writeStdin(`${authorize.headers.location}\n`)

      const result = yield* cli.result
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("Connected Spotify account: Emulated Listener")
      expect(statSync(join(lake, "state/token.json")).isFile()).toBe(true)
    }), slow)

  it.scoped("a denied consent ends with one clear sentence, exit code 1, nothing stored", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ consent: "deny" })
      const lake = yield* newLake()
      const cli = yield* spawnCli(["login", "--port", "0"], appEnv(emulator, lake))
      const [address] = yield* cli.stdoutMatching(authorizeAddress)
      const authorize = yield* request(address)
      yield* request(authorize.headers.location ?? "")
      const result = yield* cli.result
      expect(result.code).toBe(1)
      expect(result.stderr.trim().split("\n")).toHaveLength(1)
      expect(result.stderr).toContain("access_denied")
      expect(() => statSync(join(lake, "state/token.json"))).toThrow()
    }), slow)

  it.scoped("a sync whose token Spotify refuses exits 1 naming `npm start -- login`; status then shows the sync stopped", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshTokenRevoked: true })
      const env = { ...appEnv(emulator, yield* newLake()), SPOTIFY_CLIENT_SECRET: "emulator-secret", SPOTIFY_REFRESH_TOKEN: "emulator-refresh-token" }
      const sync = yield* runCli(["sync"], env)
      expect(sync.code).toBe(1)
      expect(sync.stderr).toContain("invalid_grant")
      expect(sync.stderr).toContain("To reconnect, run `npm start -- login`")
      const status = yield* runCli(["status"], env)
      expect(status.code).toBe(0)
      expect(status.stdout).toContain("SYNC STOPPED since")
    }), slow)
})
