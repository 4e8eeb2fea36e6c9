import type { ToolStatus } from './types';

/** What each prompt_guard rule looks for, in words (the rule's name is shown too: it is what logs and the API say). */
const RULE_TEXT: Record<string, string> = {
  instruction_override: 'tells the model to ignore its instructions',
  role_hijack: 'tries to give the model a new role',
  chat_template: 'carries chat-template markers',
  unicode_tags: 'hides text in invisible Unicode tag characters',
  zero_width: 'carries zero-width or bidi characters',
  markdown_image_exfiltration: 'has an image link that could send data out',
  markdown_link_exfiltration: 'has a link that could send data out',
  tool_invocation: 'asks the model to call another tool',
  secret_request: 'asks for secrets or the system prompt',
  data_exfiltration: 'asks to send data somewhere',
};

/** What the description scan found in a tool's upstream definition: rule names and counts, never the text. */
export function Findings({ tool, findings }: { tool: string; findings: NonNullable<ToolStatus['findings']> }) {
  return (
    <section className="panel" aria-label={`Findings in ${tool}`}>
      <h4>
        <span className="bad">Flagged by the description scan</span> <span className="muted">(score {findings.score.toFixed(2)})</span>
      </h4>
      <p className="muted small">
        Withheld until you approve it by name here: approving all waiting tools skips it. Read the definition beside the approved one first.
      </p>
      <table aria-label={`Rules ${tool} matched`}>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">What it looks for</th>
            <th scope="col">Matches</th>
          </tr>
        </thead>
        <tbody>
          {findings.rules.map((r) => (
            <tr key={r.rule}>
              <td>
                <code>{r.rule}</code>
              </td>
              <td>{RULE_TEXT[r.rule] ?? ''}</td>
              <td>{r.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
