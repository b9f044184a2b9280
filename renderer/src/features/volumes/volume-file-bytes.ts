/** Bytes to and from the base64 pieces volume file transfers carry, and saving a download. */

/** String.fromCharCode takes its bytes as arguments: keep each call well under engines' argument limits. */
const ARGUMENT_SLICE_BYTES = 32 * 1024

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let at = 0; at < bytes.length; at += ARGUMENT_SLICE_BYTES) {
    binary += String.fromCharCode(...bytes.subarray(at, at + ARGUMENT_SLICE_BYTES))
  }
  return btoa(binary)
}

export function base64ToBytes(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Hands a finished download to the browser, which saves it as a file on this computer. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // the save has started from the URL by now; a later revoke keeps slow browsers safe
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
