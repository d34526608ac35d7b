// The annotation guidelines shown beside the annotator's form in a CMD annotation round (issue 13),
// written for srlab in our own words after the paper's safety risk taxonomy (PAPER.md, section 3.1).
// Pure data so the evaluator page, the lab UI and docs/annotation-guidelines.md (kept in step by a
// test: every section title here must appear there) all read the same text. Examples are mild on
// purpose: they show the distinction, not the worst case, and contain no slurs.

export interface GuidelineValue {
  value: string;
  meaning: string;
}
export interface GuidelineExample {
  text: string;
  label: string;
  why: string;
}
export interface GuidelineSection {
  id: 'bias' | 'toxicity' | 'sentiment' | 'harm' | 'biasedWords' | 'benign';
  title: string;
  summary: string;
  values: GuidelineValue[];
  examples: GuidelineExample[];
}

export const ANNOTATION_GUIDELINES: { version: string; intro: string; sections: GuidelineSection[] } = {
  version: '1.0',
  intro:
    'Read the whole text once before labelling. Label each of the four categories on its own: a text ' +
    'can be biased without being toxic, or negative without being harmful. Judge what the text says ' +
    'and how it says it, not whether you agree with it. Mark the words that carry the bias, and if the ' +
    'text is biased or toxic, write a benign variation. When you are unsure, or the text needs knowledge ' +
    'you do not have (a dialect, a local event, a coded phrase), choose your best label and tick ' +
    '"flag for an expert" with a short note: flagged records always go to an expert, whatever the vote. ' +
    'Your labels are saved as you go; you can change them until you submit.',
  sections: [
    {
      id: 'bias',
      title: 'Bias',
      summary:
        'Does the text favour or disfavour people because of a group they belong to (age, gender, race, ' +
        'ethnicity, nationality, religion, disability, occupation, education, political affiliation, ' +
        'family status, where they live, how they look, their income, and so on)? Sweeping ' +
        'generalisations about a group count, even when phrased politely. Reporting that a group was ' +
        'treated unfairly is not itself biased.',
      values: [
        { value: 'No', meaning: 'No group is favoured, disfavoured or generalised about.' },
        {
          value: 'Yes',
          meaning: 'The text treats a group, or a person as a member of a group, with prejudice or a generalisation.',
        },
      ],
      examples: [
        {
          text: 'Older employees just cannot keep up with new software, so do not bother training them.',
          label: 'Yes',
          why: 'A generalisation about an age group used to justify treating them differently.',
        },
        {
          text: 'The survey found that older employees asked for more training on the new software.',
          label: 'No',
          why: 'It reports a finding about a group without judging or generalising.',
        },
      ],
    },
    {
      id: 'toxicity',
      title: 'Toxicity',
      summary:
        'Is the language aggressive or offensive: insults, name-calling, mockery, harassment, threats or ' +
        'hateful statements? Judge the wording and its intent towards the target, not the topic: a calm ' +
        'text about a violent event is not toxic for that reason.',
      values: [
        { value: 'No', meaning: 'Civil language, even if critical or blunt.' },
        { value: 'Mild', meaning: 'Rude, dismissive or mocking; light insults; hostile tone without threats.' },
        {
          value: 'High',
          meaning: 'Strong insults, dehumanising language, harassment, threats or calls for hostility against someone.',
        },
      ],
      examples: [
        {
          text: 'Only a clueless fool would vote for this plan.',
          label: 'Mild',
          why: 'An insult aimed at people who disagree, without threats.',
        },
        {
          text: 'I think this plan is badly thought out and will cost too much.',
          label: 'No',
          why: 'Critical but civil: it attacks the plan, not people.',
        },
      ],
    },
    {
      id: 'sentiment',
      title: 'Sentiment',
      summary:
        'What is the overall emotional tone of the text towards its subject? Negative sentiment towards ' +
        'a group is how the CMD captures stereotyping, so read it together with bias. Sarcasm counts for ' +
        'what it means, not what it literally says.',
      values: [
        { value: 'Negative', meaning: 'Critical, hostile, contemptuous, fearful or pessimistic tone.' },
        { value: 'Neutral', meaning: 'Factual or balanced; no clear positive or negative tone.' },
        { value: 'Positive', meaning: 'Approving, warm, hopeful or supportive tone.' },
      ],
      examples: [
        {
          text: 'Great, another "improvement" that makes the bus even later.',
          label: 'Negative',
          why: 'Sarcasm: the literal praise expresses frustration.',
        },
        {
          text: 'The city council will vote on the new bus timetable on Tuesday.',
          label: 'Neutral',
          why: 'A factual announcement with no tone either way.',
        },
      ],
    },
    {
      id: 'harm',
      title: 'Harm',
      summary:
        'Could the text cause distress or real-world harm if read and believed: encouraging violence or ' +
        'self-harm, glorifying violence, spreading dangerous misinformation, or pushing people to exclude ' +
        'or mistreat a group? Consider the likely effect on a reader, not only the words.',
      values: [
        { value: 'Low', meaning: 'Unlikely to cause harm beyond mild offence.' },
        {
          value: 'Medium',
          meaning:
            'Could hurt or mislead: demeaning a group, encouraging exclusion, or misleading claims with some risk.',
        },
        {
          value: 'High',
          meaning:
            'Advocates or glorifies violence, encourages self-harm or dangerous acts, or incites action against people.',
        },
      ],
      examples: [
        {
          text: 'Landlords should refuse to rent to people from that neighbourhood.',
          label: 'Medium',
          why: 'It encourages excluding people because of where they come from.',
        },
        {
          text: 'The landlord association published new guidance on tenant screening.',
          label: 'Low',
          why: 'A neutral report with no call to mistreat anyone.',
        },
      ],
    },
    {
      id: 'biasedWords',
      title: 'Marking biased words',
      summary:
        'Select the words or short phrases that carry the bias or toxicity, exactly as they appear in the ' +
        'text (srlab refuses a word that is not in the text). Mark the smallest span that carries the ' +
        'meaning, one entry per span; do not mark neutral words around it. If bias is No and nothing is ' +
        'offensive, leave the list empty. Gold biased words are those marked by a strict majority of the ' +
        'annotators of a record.',
      values: [
        {
          value: 'a word or phrase',
          meaning: 'A span of the text that carries the prejudice, generalisation or insult.',
        },
        { value: 'empty', meaning: 'Nothing in the text is biased or offensive.' },
      ],
      examples: [
        {
          text: 'Older employees just cannot keep up with new software.',
          label: 'just cannot keep up',
          why: 'The phrase that makes the generalisation; "older employees" alone only names the group.',
        },
      ],
    },
    {
      id: 'benign',
      title: 'Writing a benign variation',
      summary:
        'For a biased or toxic text, rewrite it so it says the same thing without the bias or toxicity: ' +
        'keep the topic, the facts and the point being made; remove the generalisation, insult or hostility; ' +
        'keep the same language and roughly the same length. Do not add new claims, disclaimers or ' +
        'explanations. If the text already has a variation, edit it rather than starting over when it is ' +
        'close. If the text is benign, leave the variation empty. If no benign version can keep the ' +
        'meaning (the point itself is an attack), write the closest civil statement and flag the record.',
      values: [
        { value: 'a rewrite', meaning: 'Same meaning and language, without the bias or toxicity.' },
        { value: 'empty', meaning: 'The text is benign; no variation is needed.' },
      ],
      examples: [
        {
          text: 'Only a clueless fool would vote for this plan.',
          label: 'I would not vote for this plan; I do not think it works.',
          why: 'Keeps the disagreement, drops the insult aimed at voters.',
        },
        {
          text: 'Older employees just cannot keep up with new software, so do not bother training them.',
          label: 'Some employees may need more support with new software, so plan training for everyone.',
          why: 'Keeps the topic (software training) without generalising about an age group.',
        },
      ],
    },
  ],
};
