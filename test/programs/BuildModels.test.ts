import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { EpochMs } from "../../src/domain/Instant.js"
import { buildModels } from "../../src/programs/BuildModels.js"
import { analyticsOver, analyticsProject, exportRow, handLake, linkToPlay, ms, play, quietBuild, rowsOf, writeLake } from "../support/HandLake.js"
import { capturingLogs } from "../support/CapturedLogs.js"
import { tempDir } from "../support/TempDir.js"

const build = (root: string) => buildModels(quietBuild).pipe(Effect.provide(analyticsOver(root)))

const statusOf = (result: Effect.Effect.Success<ReturnType<typeof build>>) =>
  Object.fromEntries(result.models.filter((m) => m.status === "built" || m.status === "fresh").map((m) => [m.name, m.status]))

const warehouse = (root: string) => readdirSync(join(root, "warehouse"), { recursive: true, encoding: "utf8" }).sort()

describe("buildModels", () => {
  it.scoped("rebuilds only what changed: nothing on a second run, and a new play leaves the exports' models alone", () =>
    Effect.gen(function*() {
      const root = yield* handLake({
        plays: [play("2024-01-10T10:00:00Z", "One", "A")],
        exports: [exportRow("extended", "2020-01-10T10:00:00Z", "Old", "B")]
      })
      const first = yield* build(root)
      expect(Object.values(statusOf(first)).every((status) => status === "built")).toBe(true)
      const files = warehouse(root)

      const second = yield* build(root)
      expect(Object.values(statusOf(second)).every((status) => status === "fresh")).toBe(true)
      expect(second.written).toEqual([])
      expect(warehouse(root)).toEqual(files)

      writeLake(root, { plays: [play("2024-01-11T10:00:00Z", "Two", "A")] })
      const third = yield* build(root)
      expect(statusOf(third)).toMatchObject({ plays: "built", export_rows: "fresh", links: "fresh", listens: "built", daily: "built" })
      const listens = yield* buildModels(quietBuild).pipe(
        Effect.zipRight(rowsOf("SELECT count(*) AS n FROM listens")),
        Effect.provide(analyticsOver(root))
      )
      expect(listens).toEqual([{ n: 3 }])
    }))

  it.scoped("computes a table model once only when a model being rebuilt reads it; otherwise it is a view, with the same rows", () =>
    Effect.gen(function*() {
      const root = yield* handLake({ plays: [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-10T10:30:00Z", "Two", "A")] })
      const kindOf = (result: Effect.Effect.Success<ReturnType<typeof build>>) =>
        Object.fromEntries(result.models.filter((m) => m.name === "int_local_listens" || m.name === "gaps").map((m) => [m.name, m.status]))
      const localDays = rowsOf("SELECT local_date::varchar AS day, count(*) AS n FROM int_local_listens GROUP BY ALL")
      const first = yield* buildModels(quietBuild).pipe(Effect.zip(localDays), Effect.provide(analyticsOver(root)))
      expect(kindOf(first[0])).toEqual({ int_local_listens: "table", gaps: "view" })
      const again = yield* buildModels(quietBuild).pipe(Effect.zip(localDays), Effect.provide(analyticsOver(root)))
      expect(kindOf(again[0])).toEqual({ int_local_listens: "view", gaps: "view" })
      expect(again[1]).toEqual(first[1])
      expect(again[0].tests).toBe(first[0].tests)
    }))

  it.scoped("a rebuild after objects came, went and were replaced answers as a fresh build over the same objects", () =>
    Effect.gen(function*() {
      const live = [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-11T10:00:00Z", "Two", "A")]
      const exported = exportRow("extended", "2024-01-10T10:00:02Z", "One", "A", { ms_played: 150_000 })
      const older = exportRow("extended", "2020-01-10T10:00:00Z", "Old", "B")
      const root = yield* handLake({ plays: live, exports: [exported, older], links: [linkToPlay(exported, live[0]!)] })
      yield* build(root)

      const objectOf = (day: string) => readdirSync(join(root, day)).map((name) => join(root, day, name))
      const [secondDay] = objectOf("plays/year=2024/month=01/day=11")
      const [olderDay] = objectOf("exports/source=extended/year=2020/month=01/day=10")
      rmSync(secondDay!)
      rmSync(olderDay!)
      writeLake(root, {
        plays: [play("2024-01-12T10:00:00Z", "Three", "C")],
        exports: [{ ...older, ms_played: 20_000 }, exportRow("extended", "2019-05-05T10:00:00Z", "Older", "B")]
      })
      const everyModel = (result: Effect.Effect.Success<ReturnType<typeof build>>) =>
        Effect.forEach(result.models, (model) =>
          Effect.map(rowsOf(`SELECT * FROM "${model.name}" ORDER BY ALL`), (rows) => [model.name, rows] as const))
      const rebuilt = yield* buildModels(quietBuild).pipe(Effect.flatMap(everyModel), Effect.provide(analyticsOver(root)))

      const fresh = yield* handLake({})
      for (const folder of ["plays", "exports", "links"]) cpSync(join(root, folder), join(fresh, folder), { recursive: true })
      const fromScratch = yield* buildModels(quietBuild).pipe(Effect.flatMap(everyModel), Effect.provide(analyticsOver(fresh)))

      expect(rebuilt).toEqual(fromScratch)
      expect(Object.fromEntries(rebuilt)["listens"]).toHaveLength(4)
    }))

  it.scoped("rebuilds a model whose Parquet went missing, even though nothing it reads changed", () =>
    Effect.gen(function*() {
      const root = yield* handLake({ plays: [play("2024-01-10T10:00:00Z", "One", "A")] })
      yield* build(root)
      rmSync(join(root, "warehouse/daily"), { recursive: true })
      const again = yield* build(root)
      expect(statusOf(again)).toMatchObject({ daily: "built", listens: "fresh", sessions: "fresh" })
      expect(warehouse(root).some((f) => f.startsWith("daily/daily-"))).toBe(true)
    }))

  it.scoped("writes listens partitioned by year, each file named by its content, readable without the runner", () =>
    Effect.gen(function*() {
      const root = yield* handLake({
        plays: [play("2024-01-10T10:00:00Z", "One", "A")],
        exports: [exportRow("extended", "2020-01-10T10:00:00Z", "Old", "B")]
      })
      yield* build(root)
      expect(warehouse(root).filter((f) => f.startsWith("listens/") && f.endsWith(".parquet"))).toEqual([
        expect.stringMatching(/^listens\/year=2020\/listens_0-[0-9a-f]{16}\.parquet$/),
        expect.stringMatching(/^listens\/year=2024\/listens_0-[0-9a-f]{16}\.parquet$/)
      ])
      const manifest = JSON.parse(readFileSync(join(root, "warehouse/manifest.json"), "utf8"))
      expect(manifest.models.listens.rows).toBe(2)
      const direct = yield* rowsOf(
        `SELECT year, count(*) AS n FROM read_parquet('${root}/warehouse/listens/*/*.parquet') GROUP BY year ORDER BY year`
      ).pipe(Effect.provide(analyticsOver(root)))
      expect(direct).toEqual([{ year: 2020, n: 1 }, { year: 2024, n: 1 }])
    }))

  it.scoped("a failing model test fails the build naming the model and the test, and writes nothing", () =>
    Effect.gen(function*() {
      const root = yield* handLake({ exports: [exportRow("extended", "2020-01-10T10:00:00Z", "Odd", "B", { kind: "podcast" })] })
      const error = yield* Effect.flip(build(root))
      expect(error.reason).toBe("TestFailed")
      expect(error.message).toMatch(/^model export_rows, test accepted_values\(kind\) failed; for example \{"kind":"podcast"\}$/)
      expect(readdirSync(root)).not.toContain("warehouse")
    }))

  it.scoped("a singular test may read a lake source, even when every model is fresh", () =>
    Effect.gen(function*() {
      const root = yield* handLake({ plays: [play("2024-01-10T10:00:00Z", "Forbidden", "A")] })
      const project = yield* tempDir("project-")
      cpSync(analyticsProject, project, { recursive: true })
      const withProject = buildModels(quietBuild).pipe(Effect.provide(analyticsOver(root, project)))
      yield* withProject
      // Every model is fresh now: the test alone names plays/, which must still be read.
      writeFileSync(join(project, "tests/no_forbidden_play.sql"), "select track_name from {{ source('plays') }} where track_name = 'Forbidden'\n")
      // A query's build, which tests only what it rebuilds, neither reads plays/ nor fails.
      const untested = yield* buildModels({ ...quietBuild, testAlways: false }).pipe(Effect.provide(analyticsOver(root, project)))
      expect(untested.tests).toBe(0)
      const error = yield* Effect.flip(withProject)
      expect(error.message).toBe(`model source('plays'), test no_forbidden_play failed; for example {"track_name":"Forbidden"}`)
    }))

  it.scoped("the build folder a killed build left (untouched for an hour) is removed; a running build's is kept", () =>
    Effect.gen(function*() {
      const root = yield* handLake({ plays: [play("2024-01-10T10:00:00Z", "One", "A")] })
      const now = Date.now()
      yield* TestClock.setTime(now)
      const folder = (name: string, touchedMs: number) => {
        const dir = join(root, "warehouse", name)
        mkdirSync(dir, { recursive: true })
        writeFileSync(join(dir, "listens.parquet"), "partial")
        utimesSync(dir, touchedMs / 1000, touchedMs / 1000)
      }
      folder(".build-killed", now - 61 * 60_000)
      folder(".build-running", now - 5 * 60_000)
      yield* build(root)
      const left = readdirSync(join(root, "warehouse")).filter((name) => name.startsWith(".build-"))
      expect(left).toEqual([".build-running"])
    }))

  it.scoped("a damaged line in a plays, export or links object is named and left out; its other lines, and every model, build", () =>
    Effect.gen(function*() {
      const plays = [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-10T10:05:00Z", "Two", "A"), play("2024-01-10T10:10:00Z", "Three", "B")]
      const rows = [exportRow("extended", "2024-01-09T10:00:00Z", "Old", "C"), exportRow("extended", "2024-01-09T11:00:00Z", "Older", "C")]
      const links = [linkToPlay(exportRow("extended", "2024-01-10T10:00:00Z", "One", "A"), plays[0]!)]
      const root = yield* handLake({ plays, exports: rows, links, watchingSince: "2024-01-01T00:00:00Z" })
      const only = (folder: string) => {
        const [file] = readdirSync(join(root, folder))
        return { key: `${folder}/${file}`, path: join(root, folder, file!), body: readFileSync(join(root, folder, file!), "utf8") }
      }
      const [playsObject, exportsObject, linksObject] = [
        only("plays/year=2024/month=01/day=10"),
        only("exports/source=extended/year=2024/month=01/day=09"),
        only("links/year=2024/month=01/day=10")
      ]
      const linesOf = (body: string) => body.split("\n").filter((line) => line !== "")
      // Line 2 cut short (a copy interrupted); line 2 a value of the wrong type; line 1 not JSON.
      const [first, second, third] = linesOf(playsObject.body)
      writeFileSync(playsObject.path, [first, second!.slice(0, 50), third, ""].join("\n"))
      const [old, older] = linesOf(exportsObject.body)
      writeFileSync(exportsObject.path, [old, older!.replace(/"ms_played":\d+/, "\"ms_played\":\"abc\""), ""].join("\n"))
      writeFileSync(linksObject.path, "{\"export_row_id\": \n")

      const { logs, result } = yield* capturingLogs(build(root))
      const problems = new Map(result.damaged.map((damaged) => [damaged.key, damaged.problem]))
      expect([...problems.keys()].sort()).toEqual([exportsObject.key, linksObject.key, playsObject.key].sort())
      expect(problems.get(playsObject.key)).toMatch(new RegExp(`^${playsObject.key} line 2 is not readable \\(damaged by hand or by the disk\\?\\): .*; left out of the models$`))
      expect(problems.get(exportsObject.key)).toMatch(/ line 2 is not readable .*ms_played/)
      expect(problems.get(linksObject.key)).toMatch(/ line 1 is not readable /)
      for (const problem of problems.values()) expect(logs).toContainEqual({ level: "WARN", message: problem })
      expect(Object.fromEntries(result.models.map((model) => [model.name, model.rows]))).toMatchObject({ plays: 2, export_rows: 1, links: 0 })

      const manifest = JSON.parse(readFileSync(join(root, "warehouse/manifest.json"), "utf8")) as { readonly damaged?: ReadonlyArray<string> }
      expect([...manifest.damaged ?? []].sort()).toEqual([...problems.keys()].sort())

      // Nothing changed: nothing is rebuilt, and the damage is still named.
      const [again, tracks] = yield* buildModels(quietBuild).pipe(
        Effect.zip(rowsOf("SELECT track_name FROM listens ORDER BY ended_at")),
        Effect.provide(analyticsOver(root))
      )
      expect(statusOf(again)).toMatchObject({ plays: "fresh", listens: "fresh" })
      expect(again.damaged.map((damaged) => damaged.key).sort()).toEqual([...problems.keys()].sort())
      expect(tracks).toEqual([{ track_name: "Old" }, { track_name: "One" }, { track_name: "Three" }])

      // A sync lands the play again whole in the same object (as docs/lake.md says): read whole, rebuilt.
      writeFileSync(playsObject.path, playsObject.body)
      const restored = yield* build(root)
      expect(restored.damaged.map((damaged) => damaged.key).sort()).toEqual([exportsObject.key, linksObject.key].sort())
      expect(statusOf(restored)).toMatchObject({ plays: "built", listens: "built" })
      expect(restored.models.find((model) => model.name === "plays")?.rows).toBe(3)
    }))

  it.scoped("a line the lake's schema takes and the engine cannot read (a time that is none) stops the build, naming it, and writes nothing", () =>
    Effect.gen(function*() {
      const root = yield* handLake({ plays: [play("2024-01-10T10:00:00Z", "One", "A")] })
      const day = join(root, "plays/year=2024/month=01/day=10")
      const [file] = readdirSync(day)
      const body = readFileSync(join(day, file!), "utf8")
      writeFileSync(join(day, file!), body.replace(/"played_at":"[^"]*"/, "\"played_at\":\"yesterday\""))
      const error = yield* Effect.flip(build(root))
      expect(error).toMatchObject({ _tag: "BuildError", reason: "BadInput", lakeObject: `plays/year=2024/month=01/day=10/${file}` })
      expect(error.message).toMatch(/^model plays cannot read the lake: .*in file ".*yesterday/s)
      expect(error.message).toMatch(/[^.]; that object is damaged: repair or remove the line it names/)
      expect(readdirSync(root)).not.toContain("warehouse")

      // The same line beside one cut short: read line by line, the object still cannot be read.
      writeFileSync(join(day, file!), `{"played_at":\n${body.replace(/"played_at":"[^"]*"/, "\"played_at\":\"yesterday\"")}`)
      const beside = yield* Effect.flip(build(root))
      expect(beside).toMatchObject({ _tag: "BuildError", reason: "BadInput", lakeObject: `plays/year=2024/month=01/day=10/${file}` })
      expect(beside.message).toMatch(new RegExp(`^plays/year=2024/month=01/day=10/${file} cannot be read even line by line: .*yesterday.*; repair or remove the lines it names`, "s"))
      expect(readdirSync(root)).not.toContain("warehouse")
    }))

  it.scoped("a gap a retry widened in place (the same object, a later end) is rebuilt into gap_status", () =>
    Effect.gen(function*() {
      const gap = { from: EpochMs.make(ms("2024-01-10T08:00:00Z")), to: EpochMs.make(ms("2024-01-10T09:00:00Z")), detected_at: EpochMs.make(ms("2024-01-10T10:00:00Z")) }
      const root = yield* handLake({ plays: [play("2024-01-10T10:00:00Z", "One", "A")], gaps: [gap], watchingSince: "2024-01-01T00:00:00Z" })
      yield* build(root)
      const widened = { ...gap, to: EpochMs.make(ms("2024-01-10T09:40:00Z")) }
      writeLake(root, { gaps: [widened] })
      const [rebuilt, windows] = yield* buildModels(quietBuild).pipe(
        Effect.zip(rowsOf("SELECT from_ms, to_ms FROM gap_status")),
        Effect.provide(analyticsOver(root))
      )
      expect(statusOf(rebuilt)).toMatchObject({ gap_status: "built", listens: "fresh" })
      expect(windows).toEqual([{ from_ms: widened.from, to_ms: widened.to }])
    }))

  it.scoped("a damaged gap, gap closure or sync state is named and left out, and every model still builds", () =>
    Effect.gen(function*() {
      const gapAt = (hour: number) => ({
        from: EpochMs.make(ms(`2024-01-10T0${hour}:00:00Z`)),
        to: EpochMs.make(ms(`2024-01-10T0${hour}:30:00Z`)),
        detected_at: EpochMs.make(ms("2024-01-10T10:00:00Z"))
      })
      const [broken, intact] = [gapAt(2), gapAt(5)]
      const root = yield* handLake({
        plays: [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-10T10:05:00Z", "Two", "A")],
        gaps: [broken, intact],
        closures: [{ gap: intact, file: "Streaming_History_Audio_2024.json", listens: 4 }],
        watchingSince: "2024-01-01T00:00:00Z"
      })
      const [closure] = readdirSync(join(root, "state/gap-closures"))
      const damagedKeys = [`state/gaps/${broken.from}.json`, `state/gap-closures/${closure}`, "state/sync.json"]
      writeFileSync(join(root, damagedKeys[0]!), "{\"from\":\"2024-01-10T02:00:00Z\",\"to\":")
      writeFileSync(join(root, damagedKeys[1]!), "{\"gap\": 3}")
      writeFileSync(join(root, damagedKeys[2]!), "[]")
      const [result, windows, listens] = yield* buildModels(quietBuild).pipe(
        Effect.zip(rowsOf("SELECT from_ms, closed FROM gap_status")),
        Effect.zip(rowsOf("SELECT count(*) AS n FROM listens"), { concurrent: false }),
        Effect.map(([[built, gaps], n]) => [built, gaps, n] as const),
        Effect.provide(analyticsOver(root))
      )
      expect(result.damaged.map((damaged) => damaged.key).sort()).toEqual([...damagedKeys].sort())
      for (const damaged of result.damaged) expect(damaged.problem).toMatch(new RegExp(`^${damaged.key} is not readable: `))
      expect(windows).toEqual([{ from_ms: intact.from, closed: false }])
      expect(listens).toEqual([{ n: 2 }])

      // Mended, the objects are read again and the models that read them rebuilt.
      writeLake(root, { gaps: [broken] })
      const mended = yield* build(root)
      expect(mended.damaged.map((damaged) => damaged.key).sort()).toEqual(damagedKeys.slice(1).sort())
      expect(statusOf(mended)).toMatchObject({ gap_status: "built", listens: "fresh" })
    }))
})
