import type { JsonSchema } from '../../../../shared/types';
import { emptyItem, type FieldErrors, type FormValue, setAt } from './schemaForm';

interface Props {
  schema: JsonSchema;
  value: FormValue;
  errors: FieldErrors;
  onChange: (value: FormValue) => void;
}

/** Renders the fields of an object schema; arrays of objects become editable rows. */
export function SchemaForm({ schema, value, errors, onChange }: Props) {
  return (
    <div className="form-grid">
      <ObjectFields schema={schema} value={value} errors={errors} path={[]} root={value} onChange={onChange} />
    </div>
  );
}

function ObjectFields({
  schema,
  value,
  errors,
  path,
  root,
  onChange,
}: {
  schema: JsonSchema;
  value: FormValue;
  errors: FieldErrors;
  path: (string | number)[];
  root: FormValue;
  onChange: (value: FormValue) => void;
}) {
  const record = typeof value === 'object' && !Array.isArray(value) ? value : {};
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, child]) => {
        const childPath = [...path, key];
        const id = `field-${childPath.join('-')}`;
        const required = (schema.required ?? []).includes(key);
        const error = errors[childPath.join('.')];
        if (child.type === 'array') {
          return (
            <ArrayField
              key={key}
              name={key}
              schema={child}
              value={record[key] ?? []}
              errors={errors}
              path={childPath}
              root={root}
              onChange={onChange}
            />
          );
        }
        return (
          <div className="form-field" key={key}>
            <label htmlFor={id}>
              {key}
              {!required && <span className="faint"> (optional)</span>}
            </label>
            <input
              id={id}
              className={`input${error ? ' input-invalid' : ''}`}
              inputMode={child.type === 'integer' ? 'numeric' : 'text'}
              value={typeof record[key] === 'string' ? (record[key] as string) : ''}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-help`}
              onChange={(event) => onChange(setAt(root, childPath, event.target.value))}
            />
            <span id={`${id}-help`} className={error ? 'field-error' : 'field-help'}>
              {error ?? child.description ?? ''}
            </span>
          </div>
        );
      })}
    </>
  );
}

function ArrayField({
  name,
  schema,
  value,
  errors,
  path,
  root,
  onChange,
}: {
  name: string;
  schema: JsonSchema;
  value: FormValue;
  errors: FieldErrors;
  path: (string | number)[];
  root: FormValue;
  onChange: (value: FormValue) => void;
}) {
  const items = Array.isArray(value) ? value : [];
  const error = errors[path.join('.')];
  return (
    <fieldset className="form-array">
      <legend>
        {name} <span className="faint">{schema.description}</span>
      </legend>
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional; their values live in the parent state.
        <div className="form-array-row" key={`${path.join('.')}.${index}`}>
          <ObjectFields
            schema={schema.items ?? {}}
            value={item}
            errors={errors}
            path={[...path, index]}
            root={root}
            onChange={onChange}
          />
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            aria-label={`Remove ${name} row ${index + 1}`}
            disabled={items.length <= (schema.minItems ?? 0)}
            onClick={() =>
              onChange(
                setAt(
                  root,
                  path,
                  items.filter((_, i) => i !== index),
                ),
              )
            }
          >
            ✕
          </button>
        </div>
      ))}
      {error && <span className="field-error">{error}</span>}
      <div>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => onChange(setAt(root, path, [...items, emptyItem(schema)]))}
        >
          Add a row
        </button>
      </div>
    </fieldset>
  );
}
