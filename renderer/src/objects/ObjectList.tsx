import { useOps, useStudio } from '../app/context';
import { Section } from '../layout/Section';
import { Icon } from '../lib/Icon';
import { ObjectRow } from './ObjectRow';

/** The photo's objects, colour-coded; clicks on the photo go to the selected one. */
export function ObjectList() {
  const ops = useOps();
  const objects = useStudio((s) => s.objects);
  const hasPhoto = useStudio((s) => !!s.photo);
  return (
    <Section
      title="Objects"
      testId="objects-panel"
      actions={
        <button
          className="btn ghost"
          onClick={ops.addObject}
          disabled={!hasPhoto}
          data-testid="add-object"
          title="Add another object in this photo"
        >
          <Icon name="plus" size={14} />
          Add
        </button>
      }
    >
      {objects.length === 0 ? (
        <p className="hint" style={{ margin: 0 }}>
          {hasPhoto ? 'Add an object, then click it in the photo.' : 'Open a photo to begin.'}
        </p>
      ) : (
        <div className="object-list" role="listbox" aria-label="Objects">
          {objects.map((o) => (
            <ObjectRow key={o.id} object={o} />
          ))}
        </div>
      )}
    </Section>
  );
}
