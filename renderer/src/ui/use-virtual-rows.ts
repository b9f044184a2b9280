/**
 * A virtualized table body: only the rows in view (plus some overscan) are in the DOM, with
 * padding rows standing in for the rest. One place for what every long list in Berth needs.
 */
import { observeElementRect, type Rect, useVirtualizer, type Virtualizer } from '@tanstack/vue-virtual'
import { computed, type Ref } from 'vue'

export interface VirtualRowsOptions<T> {
  rows: () => T[]
  key: (row: T, index: number) => string | number
  scroller: Readonly<Ref<HTMLElement | null>>
  /** The height a plain row has; rows with more in them are measured when `measured`. */
  rowHeightPx: number
  /** Rows rendered past each edge of the visible window, so a fast scroll shows no gap. */
  overscanRows?: number
  /** The window assumed before the scroll box is laid out (it measures 0 until then). */
  unmeasuredViewportPx?: number
  /** Rows can grow (an error or a form inside): measure them rather than trust the estimate. */
  measured?: boolean
}

export function useVirtualRows<T>(options: VirtualRowsOptions<T>) {
  const { rowHeightPx } = options
  const viewport = options.unmeasuredViewportPx ?? 800
  const observeRect = (instance: Virtualizer<HTMLElement, Element>, cb: (rect: Rect) => void) =>
    observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width, height: viewport }))

  const virtualizer = useVirtualizer(
    computed(() => ({
      count: options.rows().length,
      getScrollElement: () => options.scroller.value ?? null,
      estimateSize: () => rowHeightPx,
      overscan: options.overscanRows ?? 12,
      getItemKey: (index: number) => {
        const row = options.rows()[index]
        return row === undefined ? index : options.key(row, index)
      },
      // a detached or unlaid-out row measures 0: keep the estimate rather than collapse it
      ...(options.measured ? { measureElement: (el: Element) => Math.round(el.getBoundingClientRect().height) || rowHeightPx } : {}),
      observeElementRect: observeRect,
    })),
  )
  const items = computed(() => virtualizer.value.getVirtualItems())
  const padTop = computed(() => items.value[0]?.start ?? 0)
  const padBottom = computed(() => {
    const last = items.value[items.value.length - 1]
    return last ? virtualizer.value.getTotalSize() - last.end : 0
  })

  function measure(el: Element | null): void {
    if (el instanceof Element && el.isConnected) virtualizer.value.measureElement(el)
  }

  return { virtualizer, items, padTop, padBottom, measure }
}
