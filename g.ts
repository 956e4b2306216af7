import { writeGeneratedLake } from "./test/support/GeneratedLake.js"
const t0 = performance.now()
console.log(writeGeneratedLake(process.argv[2]!, { listens: Number(process.argv[3]), days: Number(process.argv[4]), lastDay: "2026-11-20", liveDays: 60, seed: 3 }).listens, (performance.now() - t0).toFixed(0), "ms")
