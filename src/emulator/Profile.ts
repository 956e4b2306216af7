import * as Accounts from "./Accounts.js"
import { apiBase, openBase } from "./Wire.js"

export const path = "/v1/me"

const userId = "emulated.listener"

/** GET /v1/me; the private fields appear only with the scopes that unlock them, as on Spotify. */
export const profile = (scope: string): Record<string, unknown> => {
  const readPrivate = Accounts.hasScope(scope, "user-read-private")
  return {
    account_id: "eMuL4t3dAcc0unt",
    ...(readPrivate ? { country: "SE" } : {}),
    display_name: "Emulated Listener",
    ...(Accounts.hasScope(scope, "user-read-email") ? { email: "listener@example.com" } : {}),
    ...(readPrivate ? { explicit_content: { filter_enabled: false, filter_locked: false } } : {}),
    external_urls: { spotify: `${openBase}/user/${userId}` },
    followers: { href: null, total: 3 },
    href: `${apiBase}/users/${userId}`,
    id: userId,
    images: [],
    ...(readPrivate ? { product: "premium" } : {}),
    type: "user",
    uri: `spotify:user:${userId}`
  }
}
