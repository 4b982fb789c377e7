import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  type Entity,
} from "@backstage/catalog-model";

/** What Backstage's own catalog says of each entity: its entity policies, then its kind's validator. */
export async function backstageProblems(entities: unknown[]): Promise<string[]> {
  const policy = EntityPolicies.allOf([
    new DefaultNamespaceEntityPolicy(),
    new FieldFormatEntityPolicy(),
    new NoForeignRootFieldsEntityPolicy(),
    new SchemaValidEntityPolicy(),
  ]);
  const validators = {
    API: apiEntityV1alpha1Validator,
    Group: groupEntityV1alpha1Validator,
    Component: componentEntityV1alpha1Validator,
  };
  const problems: string[] = [];
  for (const entity of entities) {
    const e = entity as Entity;
    try {
      await policy.enforce(e);
      const validator = validators[e.kind as keyof typeof validators];
      if (!validator || !(await validator.check(e))) problems.push(`${e.kind} ${e.metadata.name}: not ${e.kind}`);
    } catch (error) {
      problems.push(`${e.kind} ${e.metadata.name}: ${(error as Error).message}`);
    }
  }
  return problems;
}
