import { App } from "aws-cdk-lib/core"
import { fileURLToPath } from "node:url"
import { SpotifyPipelineStack } from "../lib/SpotifyPipelineStack.js"

const app = new App()
const stackName = app.node.tryGetContext("stackName")

new SpotifyPipelineStack(app, typeof stackName === "string" ? stackName : "SpotifyPipeline", {
  description: "spotify-pipeline: your Spotify listening history, captured every 30 minutes into your own S3 lake",
  lambdaZip: fileURLToPath(new URL("../../dist/lambda.zip", import.meta.url))
})
