/**
 * Profiles (RULES §5): every number and name the rules depend on, as zod-validated data.
 */
import { z } from 'zod';
import { norm } from './text';
import { BUILTIN_VOCABULARY, extendVocabulary, Vocabulary, VocabularyExtensionSchema } from './vocabulary';

/** Blocks whose absence a profile may make an S01 error (RULES §1.2: none by default). */
export const BLOCKS = ['name', 'budget', 'plan', 'funds', 'total'] as const;

export const Level1Schema = z.object({
  name: z.string().min(1),
  /** Standard 二级 names under this 一级. */
  level2: z.array(z.string().min(1)),
  required: z.boolean(),
  /** Default weight of this 一级 in a new template (0 when it carries none of its own). */
  defaultWeight: z.number().min(0),
});

export const GradeBandSchema = z.object({ name: z.string().min(1), min: z.number() });

export const ProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    /** Chinese name shown in the UI. */
    title: z.string().min(1),
    level1: z.array(Level1Schema).min(1),
    /** Sum of indicator weights a table must have (C01). */
    indicatorTotal: z.number().positive(),
    /** 分值 of 执行率 when the form leaves it blank. */
    executionWeight: z.number().positive(),
    /** F07: 执行率 below this fraction is flagged. */
    executionThreshold: z.number().min(0).max(1),
    /** C08: actual ≥ factor × target on a `>=` indicator. */
    c08Factor: z.number().gt(1),
    /** Grade bands, highest first; the last band's min is the floor. */
    grades: z.array(GradeBandSchema).min(2),
    /** 反向 (`<=`) scoring: `ratio` t/a × w, or `linear` w × (1 − (a − t)/t), 0 at a ≥ 2t. */
    reverseFormula: z.enum(['ratio', 'linear']),
    /** Qualitative bands as fractions of the weight (RULES §3). */
    partialBand: z.tuple([z.number(), z.number()]),
    partialDefault: z.number(),
    failBand: z.tuple([z.number(), z.number()]),
    failDefault: z.number(),
    /** Blocks the profile requires (S01 when absent), beyond the indicator header's required columns. */
    requiredBlocks: z.array(z.enum(BLOCKS)).default([]),
    /** Labels added to the built-in vocabulary (RULES §1.1), e.g. a province's own wording. */
    vocabulary: VocabularyExtensionSchema.optional(),
  })
  .superRefine((p, ctx) => {
    for (let i = 1; i < p.grades.length; i++) {
      if (p.grades[i].min >= p.grades[i - 1].min) {
        ctx.addIssue({ code: 'custom', message: '等级分数线须从高到低排列', path: ['grades', i] });
      }
    }
  });

export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileId = 'central' | 'hebei';

const TREE = [
  { name: '产出指标', level2: ['数量指标', '质量指标', '时效指标', '成本指标'], required: true, defaultWeight: 50 },
  { name: '成本指标', level2: ['经济成本指标', '社会成本指标', '生态环境成本指标'], required: false, defaultWeight: 0 },
  {
    name: '效益指标',
    level2: ['经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标'],
    required: true,
    defaultWeight: 30,
  },
  { name: '满意度指标', level2: ['服务对象满意度指标'], required: true, defaultWeight: 10 },
];

const COMMON = {
  level1: TREE,
  indicatorTotal: 90,
  executionWeight: 10,
  executionThreshold: 0.9,
  c08Factor: 1.2,
  reverseFormula: 'ratio' as const,
  partialBand: [0.6, 0.8] as [number, number],
  partialDefault: 0.7,
  failBand: [0, 0.6] as [number, number],
  failDefault: 0.3,
};

const BUILTINS: Record<ProfileId, Profile> = {
  central: ProfileSchema.parse({
    ...COMMON,
    id: 'central',
    title: '中央标准（优≥90，良≥80，中≥60）',
    grades: [
      { name: '优', min: 90 },
      { name: '良', min: 80 },
      { name: '中', min: 60 },
      { name: '差', min: 0 },
    ],
  }),
  hebei: ProfileSchema.parse({
    ...COMMON,
    id: 'hebei',
    title: '河北省（优秀≥85，良好≥75，一般≥60）',
    grades: [
      { name: '优秀', min: 85 },
      { name: '良好', min: 75 },
      { name: '一般', min: 60 },
      { name: '较差', min: 0 },
    ],
  }),
};

export const BUILTIN_PROFILES: Record<ProfileId, Profile> = BUILTINS;

export function isProfileId(id: string): id is ProfileId {
  return id === 'central' || id === 'hebei';
}

/** A built-in profile by id, or a user profile given as data (validated). Throws a Chinese message otherwise. */
export function resolveProfile(p: ProfileId | string | Profile | undefined): Profile {
  if (p === undefined) return BUILTIN_PROFILES.central;
  if (typeof p === 'string') {
    if (isProfileId(p)) return BUILTIN_PROFILES[p];
    throw new Error(`未知的评分规则“${p}”：可选 central（中央标准）或 hebei（河北省）。`);
  }
  if (validated.has(p)) return p;
  const r = ProfileSchema.safeParse(p);
  if (!r.success) {
    throw new Error(`评分规则配置无效：${r.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；')}`);
  }
  validated.add(r.data);
  validated.add(p);
  return r.data;
}

/** Profiles already validated: callers pass the same object back in, sheet after sheet. */
const validated = new WeakSet<Profile>(Object.values(BUILTINS));

const vocabularies = new WeakMap<Profile, Vocabulary>();

/** The vocabulary a profile reads with: the built-in one plus the profile's additions. */
export function vocabularyOf(profile: Profile): Vocabulary {
  if (!profile.vocabulary) return BUILTIN_VOCABULARY;
  let v = vocabularies.get(profile);
  if (!v) {
    v = extendVocabulary(BUILTIN_VOCABULARY, profile.vocabulary);
    vocabularies.set(profile, v);
  }
  return v;
}

/** Comparison key of a 一级/二级 name: normalised, without a trailing 指标 (`产出` ≡ `产出指标`). */
const levelKeys = new Map<string, string>();
export function levelKey(name: string): string {
  let k = levelKeys.get(name);
  if (k === undefined) {
    k = norm(name).replace(/指标$/, '');
    if (levelKeys.size < 10_000) levelKeys.set(name, k);
  }
  return k;
}

export function gradeFor(profile: Profile, total: number): string {
  for (const g of profile.grades) if (total >= g.min) return g.name;
  return profile.grades[profile.grades.length - 1].name;
}

type Level1 = Profile['level1'][number];

interface ProfileIndex {
  level1: Map<string, Level1>;
  parents: Map<string, Level1[]>;
  /** Keys of each 一级's standard 二级 names. */
  level2Of: Map<Level1, Set<string>>;
}

/** Lookups by name key, built once per profile object. */
const indexes = new WeakMap<Profile, ProfileIndex>();
function indexOf(profile: Profile): ProfileIndex {
  let ix = indexes.get(profile);
  if (!ix) {
    ix = { level1: new Map(), parents: new Map(), level2Of: new Map() };
    for (const l of profile.level1) {
      const k1 = levelKey(l.name);
      if (!ix.level1.has(k1)) ix.level1.set(k1, l);
      const set = new Set<string>();
      for (const n of l.level2) {
        const k2 = levelKey(n);
        set.add(k2);
        const ps = ix.parents.get(k2) ?? [];
        if (!ps.includes(l)) ps.push(l);
        ix.parents.set(k2, ps);
      }
      ix.level2Of.set(l, set);
    }
    indexes.set(profile, ix);
  }
  return ix;
}

/** The profile's 一级 entry for a name, if any. */
export function findLevel1(profile: Profile, name: string): Level1 | undefined {
  return indexOf(profile).level1.get(levelKey(name));
}

const NO_PARENTS: Level1[] = [];

/** The 一级 entries whose standard 二级 list has this name. */
export function parentsOfLevel2(profile: Profile, level2: string): readonly Level1[] {
  return indexOf(profile).parents.get(levelKey(level2)) ?? NO_PARENTS;
}

/** Whether a 二级 name is one of this 一级's standard names. */
export function isStandardLevel2(profile: Profile, l1: Level1, level2: string): boolean {
  return indexOf(profile).level2Of.get(l1)?.has(levelKey(level2)) ?? false;
}
