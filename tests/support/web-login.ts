/** Logs in to a browser shell as a browser would: spends the address's one-time token, keeps the cookie. */
export async function webLogin(loginUrl: string): Promise<string> {
  const res = await fetch(loginUrl, { redirect: 'manual' })
  const cookie = res.headers.get('set-cookie')
  if (res.status !== 302 || !cookie) throw new Error(`logging in to the browser shell answered ${res.status}`)
  return cookie.split(';')[0]!
}
