/** The Commit dialog as plain data: validation by the protocol's schema and the `docker commit` line. */
import { commitParamsSchema, type CommitParams } from '../../../../protocol/schema'
import { shellJoin } from './shell-words'

export interface CommitFormModel {
  repository: string
  tag: string
  message: string
  author: string
  /** One Dockerfile instruction per line (CMD, ENV, LABEL, EXPOSE, WORKDIR, USER, ENTRYPOINT…). */
  changes: string
}

export type CommitField = keyof CommitFormModel

export function emptyCommitForm(): CommitFormModel {
  return { repository: '', tag: '', message: '', author: '', changes: '' }
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '')

export function validateCommitForm(
  containerId: string,
  m: CommitFormModel,
): { params: CommitParams | null; errors: Partial<Record<CommitField, string>> } {
  const params: CommitParams = { id: containerId, repository: m.repository.trim() }
  if (m.tag.trim()) params.tag = m.tag.trim()
  if (m.message.trim()) params.message = m.message.trim()
  if (m.author.trim()) params.author = m.author.trim()
  const changes = lines(m.changes)
  if (changes.length > 0) params.changes = changes
  const parsed = commitParamsSchema.safeParse(params)
  const errors: Partial<Record<CommitField, string>> = {}
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0]
      const field = (key === 'id' ? 'repository' : key) as CommitField
      errors[field] ??= issue.message
    }
  }
  return { params: Object.keys(errors).length === 0 ? params : null, errors }
}

export function commitCommandLine(containerName: string, m: CommitFormModel): string {
  const args = ['docker', 'commit']
  if (m.author.trim()) args.push('-a', m.author.trim())
  if (m.message.trim()) args.push('-m', m.message.trim())
  for (const line of lines(m.changes)) args.push('-c', line)
  const repo = m.repository.trim() || '<repository>'
  args.push(containerName, m.tag.trim() ? `${repo}:${m.tag.trim()}` : repo)
  return shellJoin(args)
}
