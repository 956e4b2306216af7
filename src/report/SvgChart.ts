import { parse, View } from "vega"
import { compile, type TopLevelSpec } from "vega-lite"

/**
 * A Vega-Lite chart drawn to SVG here, when the report is built: the page gets finished marks
 * and no script. Vega measures text without a canvas by estimate, which is close enough for labels.
 */
export const renderSvg = async (spec: TopLevelSpec): Promise<string> => {
  const view = new View(parse(compile(spec).spec), { renderer: "none" })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
