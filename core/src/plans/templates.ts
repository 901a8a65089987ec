/**
 * Plan templates. Their structure follows public sources (WRAP, Stanley–Brown safety planning,
 * Mad Maps, psychiatric advance directive worksheets); every word is Tend's own. Sections carry
 * i18n message keys (`plans.templates.<template>.<section>.title|prompt`): the web app holds the
 * words, and `templateMessagesEn` gives it the English ones to merge into its messages.
 */
import type { SectionKind, TemplateId } from './schema.js';

export interface TemplateSection {
  /** Stable within its template; kept on the section so essentials can find it. */
  readonly key: string;
  readonly kind: SectionKind;
  readonly titleKey: string;
  readonly promptKey: string;
}

export interface Template {
  readonly id: TemplateId;
  readonly nameKey: string;
  readonly descriptionKey: string;
  readonly sections: readonly TemplateSection[];
}

interface SectionWords {
  readonly title: string;
  readonly prompt: string;
}

type Words = { readonly name: string; readonly description: string } & Record<
  string,
  SectionWords | string
>;

/** [key, kind, English title, English prompt] */
type Spec = readonly [key: string, kind: SectionKind, title: string, prompt: string];

const crisisSpecs = [
  [
    'well',
    'text',
    "What I'm like when I'm well",
    "What are you like when you're well? Anything that would help someone recognise you at your best: how you talk, what you enjoy, how you spend your days.",
  ],
  [
    'stepIn',
    'list',
    'Signs that I need others to step in',
    'What would tell the people around you that you can no longer look after yourself the way you want to, and that it is time for them to do what this plan asks?',
  ],
  [
    'involve',
    'people',
    'Who I want involved, and who I don’t',
    'Who would you like by your side, how can they be reached, and what can each of them do? You can also name anyone who must not be involved.',
  ],
  [
    'helps',
    'pairs',
    'What helps and what doesn’t',
    'What makes things a little easier when you are struggling, and what makes them harder? Small things count: a blanket, quiet, being asked before being touched.',
  ],
  [
    'places',
    'choices',
    'Where I want to be, and where I don’t',
    'Where would you feel safest: home, a friend’s place, a peer respite, somewhere else? Are there places you would accept only under certain conditions, or would rather not go?',
  ],
  [
    'treatments',
    'choices',
    'Treatments and approaches I want, accept or refuse',
    'In your own words: what kinds of support, care, medication or other approaches you want, which you could accept, and which you refuse, with your reasons if you like.',
  ],
  [
    'takeCare',
    'list',
    'Things others need to take care of',
    'Is there anything that would need looking after while you focus on yourself? Children, pets, plants, bills, work, messages, appointments.',
  ],
  [
    'said',
    'pairs',
    'What I want said, and not said',
    'What would you like people to say to you, or about you, when things are hard? What would you rather nobody said?',
  ],
  [
    'through',
    'list',
    'Signs I’m through it',
    'How will you and others know that you are through the worst, and that this plan no longer needs to be followed?',
  ],
] as const satisfies readonly Spec[];

const specs: Record<TemplateId, { name: string; description: string; sections: readonly Spec[] }> =
  {
    wrap: {
      name: 'Wellness and recovery plan',
      description:
        'A plan for staying well, in the WRAP structure: what keeps you well, what throws you off, how you can tell things are getting harder, and what you will do at each step.',
      sections: [
        [
          'toolbox',
          'list',
          'My wellness toolbox',
          'What helps you feel well or better? Things you do, people you see, places you go. Any size is fine: a walk, a song, a call to a friend.',
        ],
        [
          'well',
          'text',
          "What I'm like when I'm well",
          "What are you like when you're well? Anything that would help someone recognise you at your best.",
        ],
        [
          'daily',
          'list',
          'What I do every day to stay well',
          'What do you do, or want to do, every day to keep yourself well? Meals, rest, movement, time outside, time with others.',
        ],
        [
          'mightDo',
          'list',
          'What I might do',
          'What could you do on some days, when you notice you need it or have the time for it?',
        ],
        [
          'triggers',
          'list',
          'Things that can throw me off',
          'What events or situations tend to knock you off balance? Naming them can make them a little easier to meet.',
        ],
        [
          'triggersPlan',
          'list',
          'When something throws me off, I will…',
          'If one of those things happens, what could you do to look after yourself? You can pick from your toolbox.',
        ],
        [
          'earlySigns',
          'list',
          'Early signs that things are getting harder',
          'What small changes do you notice in yourself when things start to slip, perhaps before anyone else does?',
        ],
        [
          'earlySignsPlan',
          'list',
          'When I notice early signs, I will…',
          'What would help you get back on track when you notice those early signs?',
        ],
        [
          'breakingDown',
          'list',
          'When things are breaking down',
          'What tells you that things are getting much harder, and that you need to act now?',
        ],
        [
          'breakingDownPlan',
          'list',
          'When things are breaking down, I will…',
          'What will you do then, and who could you ask for help?',
        ],
        [
          'crisis',
          'text',
          'My crisis plan',
          'What do you want others to know and do if you can’t look after yourself for a while? You can write it here, or start a crisis plan of its own.',
        ],
        [
          'postCrisis',
          'text',
          'After a crisis',
          'What would help you find your feet again afterwards? Who and what would you like around you, and what can wait?',
        ],
      ],
    },
    crisis: {
      name: 'Crisis plan',
      description:
        'What you want, and don’t want, from the people around you if things get very hard, written so that they can act on it.',
      sections: crisisSpecs,
    },
    safety: {
      name: 'Safety plan',
      description:
        'Steps for getting through a hard moment, in the Stanley–Brown order: start at the top and move down as you need to.',
      sections: [
        [
          'warningSigns',
          'list',
          'Warning signs',
          'What thoughts, feelings, moods or situations tell you that a hard moment may be coming?',
        ],
        [
          'onMyOwn',
          'list',
          'Things I can do on my own',
          'What can you do by yourself to take your mind off things or feel a little better? A shower, music, a walk, a film, anything that works for you.',
        ],
        [
          'distractions',
          'list',
          'People and places that help me feel better',
          'Who could you spend time with, or where could you go, to be around others for a while? A café, a friend’s kitchen, a park, an online group.',
        ],
        [
          'askForHelp',
          'people',
          'People I can ask for help',
          'Who could you reach out to and tell how you are? How can you reach them?',
        ],
        [
          'services',
          'people',
          'Professionals, peer lines and services I choose',
          'Which lines, services or professionals would you choose to contact, and how? Only the ones you trust.',
        ],
        [
          'saferSurroundings',
          'list',
          'Making my surroundings safer',
          'What could you, or someone you trust, do to make the place you are in safer while things are hard?',
        ],
        [
          'reasons',
          'list',
          'My reasons for living',
          'What matters to you, and what keeps you going? People, animals, plans, hopes, small things.',
        ],
      ],
    },
    madmap: {
      name: 'Mad map',
      description:
        'A free-form map of your own experience: what you value, what your struggles look like, what helps, and who you trust.',
      sections: [
        [
          'values',
          'text',
          'What I value and dream of',
          'What matters most to you? What do you hope for, for yourself and the world around you?',
        ],
        [
          'struggles',
          'text',
          'What my struggles look like',
          'How do hard times show up for you, in your own words and your own way of understanding them?',
        ],
        [
          'helps',
          'list',
          'What helps',
          'What has helped you before, even a little? What would you like to try?',
        ],
        [
          'lessons',
          'text',
          'Lessons I’ve learned',
          'What have your experiences taught you that you would like to remember, or pass on?',
        ],
        [
          'trust',
          'people',
          'Who I trust, and how',
          'Who do you trust, for what, and how can they be reached?',
        ],
      ],
    },
    advance: {
      name: 'Advance directive worksheet',
      description:
        'Prepare what you want to go into a psychiatric advance directive: your crisis wishes, the people you name, and your other needs.',
      sections: [
        [
          'legal',
          'text',
          'About this worksheet',
          'Tend helps you prepare the content, it does not give legal advice. To make a directive legally binding you will usually need the form used where you live, signed with witnesses. Local advocacy or peer groups can often help. You can write notes about that here.',
        ],
        ...crisisSpecs,
        [
          'agent',
          'people',
          'The person I name to speak for me',
          'Who would you trust to make decisions with you, or for you, if you can’t for a while? How can they be reached?',
        ],
        [
          'alternate',
          'people',
          'If they can’t, this person instead',
          'Who could step in if the first person you named isn’t available?',
        ],
        [
          'notify',
          'text',
          'Who to tell, and how',
          'Who would you like to be told if things get very hard, or if you are somewhere away from home? Who should not be told?',
        ],
        [
          'visitors',
          'people',
          'Visitors I want and don’t want',
          'Who would you like to visit you, and who would you rather did not?',
        ],
        [
          'health',
          'text',
          'Allergies and other health needs',
          'Anything about your body and health that others must know to care for you well: allergies, conditions, access needs, food, sleep.',
        ],
      ],
    },
    blank: {
      name: 'Blank plan',
      description: 'Start with an empty page and add the sections you want.',
      sections: [],
    },
  };

const sectionKey = (template: TemplateId, key: string, part: 'title' | 'prompt') =>
  `plans.templates.${template}.${key}.${part}`;

const makeTemplate = (id: TemplateId): Template => ({
  id,
  nameKey: `plans.templates.${id}.name`,
  descriptionKey: `plans.templates.${id}.description`,
  sections: specs[id].sections.map(([key, kind]) => ({
    key,
    kind,
    titleKey: sectionKey(id, key, 'title'),
    promptKey: sectionKey(id, key, 'prompt'),
  })),
});

export const templates: Readonly<Record<TemplateId, Template>> = {
  wrap: makeTemplate('wrap'),
  crisis: makeTemplate('crisis'),
  safety: makeTemplate('safety'),
  madmap: makeTemplate('madmap'),
  advance: makeTemplate('advance'),
  blank: makeTemplate('blank'),
};

export const templateList: readonly Template[] = (
  ['wrap', 'crisis', 'safety', 'madmap', 'advance', 'blank'] as const
).map((id) => templates[id]);

/** The English words for every template, shaped for the web app's messages (en.json). */
export const templateMessagesEn: {
  plans: { templates: Record<TemplateId, Words> };
} = {
  plans: {
    templates: Object.fromEntries(
      Object.entries(specs).map(([id, spec]) => [
        id,
        {
          name: spec.name,
          description: spec.description,
          ...Object.fromEntries(
            spec.sections.map(([key, , title, prompt]) => [key, { title, prompt }]),
          ),
        },
      ]),
    ) as Record<TemplateId, Words>,
  },
};

/** Looks a dotted key up in `templateMessagesEn`; the key itself when it is not there. */
export function translateEn(key: string): string {
  let node: unknown = templateMessagesEn;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return key;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : key;
}

/** The template section a section came from, when its plan's template is known. */
export function templateSection(
  templateId: TemplateId,
  key: string | undefined,
): TemplateSection | undefined {
  if (key === undefined) return undefined;
  return templates[templateId].sections.find((s) => s.key === key);
}
