import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option } from "effect"
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { checkTimeZone, resolveTimeZone, zoneOfTz } from "../../../src/entrypoints/cli/AnalyticsCommon.js"

const withTz = (tz: string | undefined, option: Option.Option<string> = Option.none()) =>
  resolveTimeZone(option).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(tz === undefined ? [] : [["TZ", tz]]))),
    Effect.either
  )

describe("the time zone of the analytics commands", () => {
  it("a TZ value may start with ':' and may be a zone file's path, followed to its name under zoneinfo/", () => {
    expect(zoneOfTz(":Europe/Paris")).toBe("Europe/Paris")
    expect(zoneOfTz("/usr/share/zoneinfo/Asia/Tokyo", (path) => path)).toBe("Asia/Tokyo")
    expect(zoneOfTz(":/etc/localtime", () => "/usr/share/zoneinfo/America/New_York")).toBe("America/New_York")
    // A path that leads nowhere stays as written, and is refused as an unknown zone.
    expect(zoneOfTz(":/nowhere", () => { throw new Error("ENOENT") })).toBe("/nowhere")
  })

  it.effect("TZ=:/etc/localtime, a link into a zoneinfo folder, is that zone", () =>
    Effect.gen(function*() {
      const folder = mkdtempSync(join(tmpdir(), "tz-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(folder, { recursive: true, force: true })))
      mkdirSync(join(folder, "zoneinfo", "Asia"), { recursive: true })
      writeFileSync(join(folder, "zoneinfo", "Asia", "Tokyo"), "TZif")
      symlinkSync(join(folder, "zoneinfo", "Asia", "Tokyo"), join(folder, "localtime"))
      expect(yield* withTz(`:${join(folder, "localtime")}`)).toMatchObject({ _tag: "Right", right: "Asia/Tokyo" })
    }).pipe(Effect.scoped))

  it.effect("--tz comes first, then TZ; a name is made canonical", () =>
    Effect.gen(function*() {
      expect(yield* withTz("Asia/Tokyo", Option.some("US/Pacific"))).toMatchObject({ right: "America/Los_Angeles" })
      expect(yield* withTz("GMT")).toMatchObject({ right: "UTC" })
    }))

  it("a fixed offset is refused with a sentence naming the zone to use instead (Intl takes offsets on Node 24, DuckDB does not)", () => {
    const problem = (zone: string) => {
      const checked = checkTimeZone(zone)
      return "problem" in checked ? checked.problem : undefined
    }
    expect(problem("+01:00")).toMatch(/"\+01:00"/)
    expect(problem("-0530")).toMatch(/"-0530"/)
    // Where Intl knows offsets, the sentence names the Etc/GMT zone of a whole hour (whose sign is reversed).
    expect(problem("+01:00")).toMatch(/Etc\/GMT-1\)$|use an IANA name such as Europe\/Paris$/)
    expect(problem("Etc/GMT-1")).toBeUndefined()
    expect(problem("Mars/Olympus")).toBe("unknown time zone \"Mars/Olympus\" (--tz or TZ): use an IANA name such as Europe/Paris")
  })
})
