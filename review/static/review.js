// The review screen's script (an ES module; the CSP allows no inline script).
// Starts GOV.UK Frontend, and on the case page highlights the words a field was read from
// when the field gets focus.
import { initAll } from './govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
initAll()

const originals = new WeakMap()

function clearHighlights () {
  document.querySelectorAll('pre.app-message__text').forEach((pre) => {
    if (originals.has(pre) && pre.querySelector('mark')) {
      pre.textContent = originals.get(pre)
    }
  })
  document.querySelectorAll('.app-field--active').forEach((el) => el.classList.remove('app-field--active'))
}

function highlight (field) {
  clearHighlights()
  const part = field.dataset.part
  let start = Number.parseInt(field.dataset.start, 10)
  let end = Number.parseInt(field.dataset.end, 10)
  if (!part || Number.isNaN(start) || Number.isNaN(end) || end <= start) return
  const pre = Array.from(document.querySelectorAll('pre.app-message__text')).find((p) => p.dataset.part === part)
  if (!pre) return
  if (!originals.has(pre)) originals.set(pre, pre.textContent)
  const text = originals.get(pre)
  const words = field.dataset.text || ''
  if (words && text.slice(start, end) !== words) {
    // the offsets no longer fit the text (read by an older parser): find the words nearest to them
    const after = text.indexOf(words, Math.max(0, start - 200))
    const found = after >= 0 ? after : text.indexOf(words)
    if (found < 0) return
    start = found
    end = found + words.length
  }
  if (end > text.length) return
  const mark = document.createElement('mark')
  mark.className = 'app-highlight'
  mark.textContent = text.slice(start, end)
  pre.replaceChildren(document.createTextNode(text.slice(0, start)), mark, document.createTextNode(text.slice(end)))
  field.classList.add('app-field--active')
  mark.scrollIntoView({ block: 'nearest', inline: 'nearest' })
}

document.querySelectorAll('.app-field').forEach((field) => {
  field.addEventListener('focus', () => highlight(field))
})
