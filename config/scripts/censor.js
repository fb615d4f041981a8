// Hides the words of a list, whatever their case (the step before upper-cases everything).
const hidden = ['SECRET', 'PASSWORD'];
return message
    .split(' ')
    .map(word => hidden.includes(word) ? '*'.repeat(word.length) : word)
    .join(' ');
