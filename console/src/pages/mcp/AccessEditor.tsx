import { useState } from 'react';
import { RefMulti } from '../../resources/references';
import { Field } from '../../ui/Field';
import type { Access } from './types';

/** Who may use a virtual server: everyone with a role, or only the people, groups and service accounts picked. */
export function AccessEditor({
  value,
  onChange,
  canClear = true,
}: {
  value: Access | undefined;
  onChange: (v: Access | undefined) => void;
  canClear?: boolean;
}) {
  const [groups, setGroups] = useState((value?.groups ?? []).join('\n'));
  const list = value ?? { users: [], groups: [], serviceAccounts: [] };
  return (
    <fieldset className="group" aria-label="Access list">
      <legend>Who may use it</legend>
      <label>
        <input type="radio" name="access" checked={value === undefined} disabled={!canClear} onChange={() => onChange(undefined)} /> Everyone with a role on the
        gateway
        {canClear ? null : <span className="muted small"> (an access list, once set, is edited, not removed: the API has no way to unset it)</span>}
      </label>
      <label>
        <input type="radio" name="access" checked={value !== undefined} onChange={() => onChange(list)} /> Only those picked below
      </label>
      {value !== undefined ? (
        <div className="grid">
          <Field label="Users">
            {(id) => <RefMulti id={id} resource="users" label="Users" value={list.users ?? []} onChange={(users) => onChange({ ...list, users })} />}
          </Field>
          <Field label="Groups" hint="Group names from your identity provider, one per line">
            {(id, hint) => (
              <textarea
                id={id}
                aria-describedby={hint}
                rows={3}
                value={groups}
                onChange={(e) => {
                  setGroups(e.target.value);
                  onChange({
                    ...list,
                    groups: e.target.value
                      .split('\n')
                      .map((g) => g.trim())
                      .filter(Boolean),
                  });
                }}
              />
            )}
          </Field>
          <Field label="Service accounts">
            {(id) => (
              <RefMulti
                id={id}
                resource="service-accounts"
                label="Service accounts"
                value={list.serviceAccounts ?? []}
                onChange={(serviceAccounts) => onChange({ ...list, serviceAccounts })}
              />
            )}
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}
